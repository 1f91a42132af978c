from qiangxian.policies.tests.conftest import figures, policy, rd_clause, run  # noqa: F401
