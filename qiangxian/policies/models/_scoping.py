"""How match results and applications reach a user: through their enterprise, or the unit reviewing them."""

from __future__ import annotations

from qiangxian.enterprises.models.registry import EnterpriseChildQuerySet


class EnterpriseBenefitQuerySet(EnterpriseChildQuerySet):
    """Rows about one enterprise's benefit: seen where the enterprise is seen (town, park, the
    enterprise itself, its liaison), and by the bureau that reviews the clause."""

    scope_paths = {
        **EnterpriseChildQuerySet.scope_paths,
        "bureau": "clause_version__review_unit",
    }
    bureau_reads_all = False
