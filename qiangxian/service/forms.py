"""Forms of the demand and visit pages; the services do the real validation."""

from __future__ import annotations

from django import forms

from qiangxian.core.access import scope_of, within_counties
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import Enterprise

from .choices import AreaUnit, Channel, DemandCategory, FinanceKind, Rating, VisitTopic
from .models import VisitCampaign

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def handling_units():
    return OrgUnit.objects.filter(
        kind__in=[OrgUnitKind.BUREAU, OrgUnitKind.TOWN, OrgUnitKind.PARK], is_active=True
    ).order_by("kind", "sort_order", "name")


class EnterpriseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DemandForm(forms.Form):
    enterprise = EnterpriseChoice(
        label="企业", queryset=Enterprise.objects.none(), required=False, empty_label="（请选择企业）"
    )
    category = forms.ChoiceField(
        label="类别", choices=[("", "（请选择类别）"), *DemandCategory.choices], required=False
    )
    sub_category = forms.CharField(
        label="子类", max_length=50, required=False, help_text="如 普工招聘、应急转贷、供电"
    )
    title = forms.CharField(label="诉求", max_length=200, required=False)
    description = forms.CharField(label="具体内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tags = forms.CharField(label="标签", max_length=200, required=False, help_text="多个标签用“；”分隔")
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices, initial=Channel.OFFICE)
    wanted_by = forms.DateField(label="企业期望解决时间", required=False, widget=DATE)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        if user is not None and user.role == "enterprise":
            self.fields.pop("channel")


class RouteForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=OrgUnit.objects.none(), required=False)
    supporting_units = forms.ModelMultipleChoiceField(
        label="配合单位", queryset=OrgUnit.objects.none(), required=False
    )
    note = forms.CharField(label="交办意见", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = handling_units()
        self.fields["supporting_units"].queryset = handling_units()


class NoteForm(forms.Form):
    text = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    interim = forms.BooleanField(label="作为阶段答复告知企业", required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="办结答复", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500, required=False)


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label="申请延至", required=False, widget=DATE)
    reason = forms.CharField(label="延期理由", max_length=500, required=False)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.RadioSelect, required=False)
    comment = forms.CharField(label="评价意见", max_length=500, required=False)
    on_behalf = forms.BooleanField(label="代企业评价（根据企业意见登记）", required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重办要求", max_length=500, required=False)


class RuleForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=DemandCategory.choices)
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=OrgUnit.objects.none())
    supporting_units = forms.ModelMultipleChoiceField(
        label="配合单位", queryset=OrgUnit.objects.none(), required=False
    )
    sign_days = forms.IntegerField(label="签收时限（工作日）", min_value=1, max_value=250, initial=1)
    response_days = forms.IntegerField(label="答复时限（工作日）", min_value=1, max_value=250, initial=5)
    complete_days = forms.IntegerField(label="办结时限（工作日）", min_value=1, max_value=250, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = handling_units()
        self.fields["supporting_units"].queryset = handling_units()


class IssuedRuleForm(forms.Form):
    """A city's or province's rule: units named as each county names them ("自然资源局")."""

    category = forms.ChoiceField(label="类别", choices=DemandCategory.choices)
    lead_name = forms.ChoiceField(label="牵头单位", help_text="各县该名称的单位牵头办理本县企业的诉求")
    supporting_names = forms.MultipleChoiceField(label="配合单位", required=False)
    sign_days = forms.IntegerField(label="签收时限（工作日）", min_value=1, max_value=250, initial=1)
    response_days = forms.IntegerField(label="答复时限（工作日）", min_value=1, max_value=250, initial=5)
    complete_days = forms.IntegerField(label="办结时限（工作日）", min_value=1, max_value=250, initial=10)

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_name"].choices = [("", "（请选择）"), *((n, n) for n in names)]
        self.fields["supporting_names"].choices = [(n, n) for n in names]


class VisitForm(forms.Form):
    enterprise = EnterpriseChoice(
        label="企业", queryset=Enterprise.objects.none(), required=False, empty_label="（请选择企业）"
    )
    visited_on = forms.DateField(label="走访日期", required=False, widget=DATE)
    campaign = forms.ModelChoiceField(
        label="走访活动",
        queryset=VisitCampaign.objects.all(),
        required=False,
        empty_label="（不属于走访活动）",
    )
    purpose = forms.CharField(label="走访事由", max_length=200, required=False)
    people_met = forms.CharField(label="接待人", max_length=200, required=False)
    visitor_names = forms.CharField(label="其他走访人员", max_length=200, required=False)
    by_phone = forms.BooleanField(label="电话走访", required=False)
    demand_category = forms.ChoiceField(
        label="提出的诉求：类别", choices=[("", "（无诉求）"), *DemandCategory.choices], required=False
    )
    demand_title = forms.CharField(label="提出的诉求：内容", max_length=200, required=False)
    files = forms.FileField(label="照片或文件", required=False)

    def __init__(self, *args, user=None, quick: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["enterprise"].widget.attrs.update(
            {"hx-get": "/service/visits/warn/", "hx-target": "#visit-warning", "hx-trigger": "change"}
        )
        if not quick:
            for topic in VisitTopic:
                self.fields[topic.value] = forms.CharField(
                    label=f"企业反映：{topic.label}", widget=forms.Textarea(attrs={"rows": 2}), required=False
                )


WAN = 10_000


class NeedForm(forms.Form):
    """A structured need form; the land form lists the space the user may offer."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class LabourNeedForm(NeedForm):
    positions = forms.CharField(label="岗位", max_length=200, required=False)
    headcount = forms.IntegerField(label="人数", min_value=1, max_value=100000, required=False)
    skills = forms.CharField(label="技能要求", max_length=300, required=False)
    wage = forms.CharField(label="工资待遇", max_length=100, required=False, help_text="如 5000-7000元/月")
    needed_by = forms.DateField(label="到岗时间", required=False, widget=DATE)
    filled = forms.IntegerField(
        label="已招到（人，牵头单位填写）", min_value=0, max_value=100000, required=False
    )


class FinanceNeedForm(NeedForm):
    amount = forms.DecimalField(
        label="需求金额（万元）", min_value=0, max_digits=12, decimal_places=2, required=False
    )
    purpose = forms.CharField(label="用途", max_length=200, required=False)
    kind = forms.ChoiceField(label="方式", choices=[("", "（请选择）"), *FinanceKind.choices], required=False)
    bank = forms.CharField(label="合作银行", max_length=100, required=False)
    arranged = forms.DecimalField(
        label="已落实金额（万元，牵头单位填写）", min_value=0, max_digits=12, decimal_places=2, required=False
    )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("amount", "arranged"):
            if data.get(key) is not None:
                data[key] = data[key] * WAN
        return data


class LandNeedForm(NeedForm):
    area = forms.DecimalField(label="面积", min_value=0, max_digits=12, decimal_places=2, required=False)
    area_unit = forms.ChoiceField(label="面积单位", choices=AreaUnit.choices)
    location = forms.CharField(label="意向位置", max_length=200, required=False)
    use = forms.CharField(label="用途", max_length=200, required=False)
    needed_by = forms.DateField(label="需要时间", required=False, widget=DATE)
    offered = forms.CharField(
        label="落实说明（牵头单位填写；推荐的地块、厂房在“空间匹配”中登记）", max_length=300, required=False
    )
    offered_parcel = forms.ModelChoiceField(
        label="已落实地块（牵头单位填写）", queryset=None, required=False, empty_label="（未落实）"
    )
    offered_building = forms.ModelChoiceField(
        label="已落实楼栋（牵头单位填写）", queryset=None, required=False, empty_label="（未落实）"
    )

    def __init__(self, *args, user=None, **kwargs):
        from qiangxian.land.models import Building, Parcel

        super().__init__(*args, user=user, **kwargs)
        # Only the parcels and buildings the user may see.
        self.fields["offered_parcel"].queryset = Parcel.objects.visible_to(user).order_by("code")
        self.fields["offered_building"].queryset = (
            Building.objects.visible_to(user).select_related("parcel").order_by("pk")
        )


NEED_FORMS = {"labour": LabourNeedForm, "finance": FinanceNeedForm, "land": LandNeedForm}


def need_initial(need) -> dict:
    """A stored need as the form's initial values (money back in 万元)."""
    if need is None:
        return {}
    data = {
        f.name: getattr(need, f.name)
        for f in need._meta.fields
        if f.name not in ("id", "demand", "updated_at")
    }
    for key in ("amount", "arranged"):
        if data.get(key) is not None:
            data[key] = data[key] / WAN
    return data


class CampaignForm(forms.Form):
    """A visit campaign: the enterprises are the union of the chosen groups and the list."""

    name = forms.CharField(label="活动名称", max_length=100, required=False)
    starts_on = forms.DateField(label="开始日期", required=False, widget=DATE)
    ends_on = forms.DateField(label="结束日期", required=False, widget=DATE)
    quiet_days = forms.IntegerField(
        label="无事不扰间隔（天）", min_value=1, max_value=365, initial=30, required=False
    )
    description = forms.CharField(label="工作要求", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    above_scale = forms.BooleanField(label="全部规上企业", required=False)
    cultivation_pool = forms.BooleanField(label="培育库企业（实施中的培育计划）", required=False)
    towns = forms.ModelMultipleChoiceField(
        label="乡镇（园区）的全部企业", queryset=OrgUnit.objects.none(), required=False
    )
    enterprises = forms.ModelMultipleChoiceField(
        label="企业名单",
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    plan_from_liaisons = forms.BooleanField(
        label="按包联关系生成走访计划（包联干部走访所包联企业）", required=False
    )
    expected_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["enterprises"].label_from_instance = lambda e: e.name
        self.fields["towns"].queryset = OrgUnit.objects.filter(
            kind__in=[OrgUnitKind.TOWN, OrgUnitKind.PARK], is_active=True
        ).order_by("kind", "sort_order", "name")
        self.target_fields = []
        # Not a choice field (which the access gate cuts by itself): cut to the user's counties here.
        for unit in within_counties(handling_units(), scope_of(user)):
            key = f"target_{unit.pk}"
            self.fields[key] = forms.IntegerField(
                label=unit.name, min_value=0, max_value=100000, required=False
            )
            self.target_fields.append((unit, key))

    @property
    def target_bound_fields(self):
        return [self[key] for _, key in self.target_fields]

    def targets(self) -> dict:
        return {unit: self.cleaned_data.get(key) or 0 for unit, key in self.target_fields}

    def chosen_enterprises(self, user):
        """The union of the groups ticked and the enterprises listed, among those the user may see."""
        from django.db.models import Q

        from qiangxian.enterprises.choices import PlanStatus

        data = self.cleaned_data
        condition = Q(pk__in=[e.pk for e in data["enterprises"]])
        if data["above_scale"]:
            condition |= Q(above_scale=True)
        if data["cultivation_pool"]:
            condition |= Q(plans__status=PlanStatus.ACTIVE)
        if data["towns"]:
            condition |= Q(town__in=data["towns"]) | Q(park__in=data["towns"])
        return Enterprise.objects.visible_to(user).filter(condition).distinct()


class VisitPlanForm(forms.Form):
    enterprise = EnterpriseChoice(
        label="企业", queryset=Enterprise.objects.none(), required=False, empty_label="（请选择企业）"
    )
    planned_on = forms.DateField(label="计划日期", required=False, widget=DATE)
    campaign = forms.ModelChoiceField(
        label="走访活动",
        queryset=VisitCampaign.objects.all(),
        required=False,
        empty_label="（不属于走访活动）",
    )
    purpose = forms.CharField(label="走访事由", max_length=200, required=False)
    acknowledged = forms.BooleanField(label="已了解近期走访情况，确有必要上门", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["enterprise"].widget.attrs.update(
            {
                "hx-get": "/service/visits/warn/",
                "hx-target": "#visit-warning",
                "hx-trigger": "change",
                "hx-include": "[name=planned_on],[name=campaign]",
            }
        )
