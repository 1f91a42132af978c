"""Error pages in Chinese, never a raw traceback."""

from django.shortcuts import render


def forbidden(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": "无权访问", "code": 403, "message": str(exception) if exception else "您无权访问此页面。"},
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": "未找到", "code": 404, "message": "未找到该页面或记录，或您无权查看。"},
        status=404,
    )


def server_error(request):
    return render(
        request,
        "core/error.html",
        {"title": "系统错误", "code": 500, "message": "系统出现错误，请稍后重试或联系系统管理员。"},
        status=500,
    )
