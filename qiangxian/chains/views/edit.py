"""The chain pages that write: chains, links, placements, leading firms, purchases, targets, imports."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.access import require_own_level
from qiangxian.core.exports import xlsx_attachment
from qiangxian.core.forms import form_page, run_service

from .. import importers, selectors, services
from ..forms import (
    ChainForm,
    LeaderForm,
    LinkForm,
    PlaceEnterpriseForm,
    PlaceProjectForm,
    PurchaseForm,
    TargetForm,
    UploadForm,
)
from ._common import chain_crumbs, crumbs, editor_required, shaper_required


@shaper_required
def chain_edit(request, pk=None):
    """Create the chain of a cluster (``?cluster=``) or change a chain's name and thin threshold."""
    chain = selectors.access_chain(request.user, pk) if pk else None
    if chain is None:
        cluster = selectors.access_cluster(request.user, request.GET.get("cluster", ""))
        initial = {"name": f"{cluster.name}产业链", "thin_threshold": 2}
    else:
        cluster = chain.cluster
        require_own_level(request.user, cluster.issuer_id, "产业链")
        initial = {
            "name": chain.name,
            "description": chain.description,
            "thin_threshold": chain.thin_threshold,
            "expected_updated_at": chain.updated_at,
        }
    form = ChainForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, saved = run_service(
            form, lambda: services.chain_save(actor=request.user, cluster=cluster, **form.cleaned_data)
        )
        if ok:
            messages.success(request, "产业链已保存。")
            return redirect("chains:detail", saved.pk)
    cancel = reverse("chains:detail", args=[chain.pk]) if chain else reverse("chains:index")
    return form_page(
        request,
        form=form,
        title=f"{cluster.name} · {'编辑产业链' if chain else '建立产业链'}",
        cancel_url=cancel,
        breadcrumbs=crumbs(),
    )


@shaper_required
def link_edit(request, pk=None, link_pk=None):
    """Add a link to a chain or change one."""
    link = selectors.access_link(request.user, link_pk) if link_pk else None
    chain = link.chain if link else selectors.access_chain(request.user, pk)
    require_own_level(request.user, chain.cluster.issuer_id, "产业链")
    form = LinkForm(
        request.POST or None,
        initial=LinkForm.initial_for(link) if link else {"sort_order": chain.links.count()},
    )
    if request.method == "POST" and form.is_valid():
        ok, saved = run_service(
            form, lambda: services.link_save(actor=request.user, chain=chain, link=link, **form.cleaned_data)
        )
        if ok:
            messages.success(request, f"环节“{saved.name}”已保存，产业链为第 {chain_version(chain)} 版。")
            return redirect("chains:link", saved.pk)
    return form_page(
        request,
        form=form,
        title=f"{chain.name} · {'编辑环节' if link else '新增环节'}",
        cancel_url=reverse("chains:link", args=[link.pk])
        if link
        else reverse("chains:detail", args=[chain.pk]),
        breadcrumbs=chain_crumbs(chain),
    )


def chain_version(chain) -> int:
    chain.refresh_from_db(fields=["version"])
    return chain.version


@require_POST
@shaper_required
def link_delete(request, link_pk):
    link = selectors.access_link(request.user, link_pk)
    chain = link.chain
    services.link_delete(actor=request.user, link=link)
    messages.success(request, f"环节“{link.name}”已删除。")
    return redirect("chains:detail", chain.pk)


@require_POST
@editor_required
def propose(request, pk):
    """Propose placements for the cluster's enterprises (and any enterprise whose class or products fit)."""
    chain = selectors.access_chain(request.user, pk)
    count = services.placements_propose(
        actor=request.user, chain=chain, enterprises=selectors.visible_enterprises(request.user)
    )
    messages.success(request, f"已按行业小类和产品关键词建议 {count} 条企业归属，请在各环节确认。")
    return redirect("chains:detail", chain.pk)


@require_POST
@editor_required
def place_enterprise(request, link_pk):
    link = selectors.access_link(request.user, link_pk)
    form = PlaceEnterpriseForm(request.POST, enterprises=selectors.candidate_enterprises(request.user, link))
    if form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.placement_confirm(
                actor=request.user, link=link, enterprise=form.cleaned_data["enterprise"]
            ),
        )
        if ok:
            messages.success(request, f"“{form.cleaned_data['enterprise'].name}”已归入“{link.name}”。")
            return redirect("chains:link", link.pk)
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))
    return redirect("chains:link", link.pk)


@require_POST
@editor_required
def placement_action(request, placement_pk, action):
    placement = selectors.access_placement(request.user, placement_pk)
    if action == "confirm":
        services.placement_confirm(
            actor=request.user, link=placement.link, enterprise=placement.enterprise, basis=placement.basis
        )
        messages.success(request, f"已确认“{placement.enterprise.name}”在该环节。")
    else:
        services.placement_remove(actor=request.user, placement=placement)
        messages.success(request, f"已将“{placement.enterprise.name}”移出该环节。")
    return redirect("chains:link", placement.link_id)


@require_POST
@editor_required
def place_project(request, link_pk):
    link = selectors.access_link(request.user, link_pk)
    form = PlaceProjectForm(request.POST, projects=selectors.candidate_projects(request.user, link))
    if form.is_valid():
        services.project_place(actor=request.user, project=form.cleaned_data["project"], link=link)
        messages.success(request, f"“{form.cleaned_data['project'].name}”已归入“{link.name}”。")
    else:
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    return redirect("chains:link", link.pk)


@require_POST
@editor_required
def unplace_project(request, link_pk, project_pk):
    link = selectors.access_link(request.user, link_pk)
    project = get_object_or_404(
        selectors.visible_projects(request.user), pk=project_pk, chain_placement__link=link
    )
    services.project_place(actor=request.user, project=project, link=None)
    messages.success(request, f"“{project.name}”已移出该环节。")
    return redirect("chains:link", link.pk)


@require_POST
@editor_required
def leader_add(request, pk):
    chain = selectors.access_chain(request.user, pk)
    form = LeaderForm(request.POST, enterprises=selectors.visible_enterprises(request.user))
    if form.is_valid():
        services.leader_save(actor=request.user, chain=chain, **form.cleaned_data)
        messages.success(request, f"已将“{form.cleaned_data['enterprise'].name}”标记为链主企业。")
    else:
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    return redirect("chains:leaders", chain.pk)


@require_POST
@editor_required
def leader_remove(request, leader_pk):
    leader = selectors.access_leader(request.user, leader_pk)
    services.leader_remove(actor=request.user, leader=leader)
    messages.success(request, f"“{leader.enterprise.name}”不再作为链主企业。")
    return redirect("chains:leaders", leader.chain_id)


@editor_required
def purchase_add(request, pk):
    """The purchase survey form (a separate page so its errors show beside the fields)."""
    chain = selectors.access_chain(request.user, pk)
    form = PurchaseForm(
        request.POST or None, leaders=selectors.leaders(request.user, chain), links=chain.links.all()
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, lambda: services.purchase_save(actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, "采购情况已登记。")
            return redirect("chains:leaders", chain.pk)
    return form_page(
        request,
        form=form,
        title=f"{chain.name} · 登记链主采购",
        cancel_url=reverse("chains:leaders", args=[chain.pk]),
        breadcrumbs=chain_crumbs(chain),
    )


@require_POST
@editor_required
def purchase_delete(request, purchase_pk):
    purchase = selectors.access_purchase(request.user, purchase_pk)
    services.purchase_delete(actor=request.user, purchase=purchase)
    messages.success(request, "采购记录已删除。")
    return redirect("chains:leaders", purchase.leader.chain_id)


@shaper_required
def target_edit(request, link_pk=None, target_pk=None):
    """Turn a gap into an investment-promotion target, or update one."""
    target = selectors.access_target(request.user, target_pk) if target_pk else None
    link = target.link if target else selectors.access_link(request.user, link_pk)
    require_own_level(request.user, link.chain.cluster.issuer_id, "产业链")
    initial = {}
    if target is not None:
        initial = {
            f: getattr(target, f)
            for f in ("company_kind", "regions", "candidates", "follow_up_person", "status")
        }
        initial |= {"follow_up_unit": target.follow_up_unit_id, "project": target.project_id}
    else:
        initial = {"company_kind": f"{link.name}企业"}
    form = TargetForm(
        request.POST or None,
        initial=initial,
        projects=selectors.visible_projects(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.target_save(actor=request.user, link=link, target=target, **form.cleaned_data),
        )
        if ok:
            messages.success(request, "招商目标已保存。")
            return redirect("chains:link", link.pk)
    return form_page(
        request,
        form=form,
        title=f"{link.name} · {'编辑招商目标' if target else '补链招商目标'}",
        cancel_url=reverse("chains:link", args=[link.pk]),
        breadcrumbs=chain_crumbs(link.chain, (link.name, reverse("chains:link", args=[link.pk]))),
    )


def _import_page(request, *, chain, title, run, template_url, note):
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = run(content=upload.read(), file_name=upload.name)
        if result.ok:
            messages.success(request, f"导入成功：新增 {result.created} 条，更新 {result.updated} 条。")
            return redirect(request.path)
    return render(
        request,
        "chains/import.html",
        {
            "title": title,
            "breadcrumbs": chain_crumbs(chain),
            "form": form,
            "result": result,
            "template_url": template_url,
            "note": note,
        },
    )


@shaper_required
def links_import(request, pk):
    chain = selectors.access_chain(request.user, pk)
    return _import_page(
        request,
        chain=chain,
        title=f"{chain.name} · 导入环节",
        run=lambda **kw: importers.import_links(actor=request.user, chain=chain, **kw),
        template_url=reverse("chains:links_export", args=[chain.pk]) + "?template=1",
        note="按模板填写环节；同名环节更新，新名称新增。任何一行有误时不导入任何内容。",
    )


def links_export(request, pk):
    """The chain's links in the import template's columns (``?template=1``: the empty template)."""
    chain = selectors.access_chain(request.user, pk)
    empty = request.GET.get("template") == "1"
    name = "产业链环节导入模板.xlsx" if empty else f"{chain.name}环节.xlsx"
    return xlsx_attachment(name, lambda stream: importers.write_links(stream, None if empty else chain))


@editor_required
def purchases_import(request, pk):
    chain = selectors.access_chain(request.user, pk)
    return _import_page(
        request,
        chain=chain,
        title=f"{chain.name} · 导入链主采购",
        run=lambda **kw: importers.import_purchases(actor=request.user, chain=chain, **kw),
        template_url=reverse("chains:purchases_template", args=[chain.pk]),
        note="按模板填写链主企业的主要采购；同一链主、环节、年度、产品已登记的更新为新值。任何一行有误时不导入任何内容。",
    )


@editor_required
def purchases_template(request, pk):
    chain = selectors.access_chain(request.user, pk)
    leaders = list(selectors.leaders(request.user, chain))
    links = list(chain.links.all())
    return xlsx_attachment(
        "链主采购导入模板.xlsx", lambda stream: importers.write_purchase_template(stream, leaders, links)
    )
