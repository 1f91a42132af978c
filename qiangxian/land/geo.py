"""GeoJSON boundaries: parsed and checked to be polygons in longitude/latitude degrees (WGS84/CGCS2000).

The county draws its own map from these boundaries (no tile server on the government network),
so a boundary in a projected system (metres, e.g. a Gauss–Krüger export) or outside China would
draw nowhere: it is refused with the reason.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError

# China's extent in degrees, with a margin.
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _rings(geometry: dict) -> list:
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise ValidationError("GeoJSON 缺少坐标（coordinates）。")
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError("GeoJSON 的多边形坐标格式不正确。")
        rings.extend(polygon)
    return rings


def parse_boundary(raw) -> dict | None:
    """The geometry (a Polygon or MultiPolygon dict) from text or a dict; None for blank input.

    Raises ValidationError with the reason when it does not parse, is not a polygon, or is not in
    longitude/latitude degrees within China.
    """
    if raw in (None, "", {}):
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"GeoJSON 无法解析：第 {exc.lineno} 行第 {exc.colno} 列格式错误。") from exc
    if not isinstance(raw, dict):
        raise ValidationError("GeoJSON 应为一个对象（Feature 或 Polygon）。")
    geometry = raw.get("geometry") if raw.get("type") == "Feature" else raw
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise ValidationError("地块边界应为 Polygon 或 MultiPolygon 类型的 GeoJSON。")
    crs = raw.get("crs") or geometry.get("crs")
    if crs:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else str(crs)
        if name and not any(key in name for key in ("4326", "4490", "CRS84")):
            raise ValidationError(
                f"坐标系 {name} 不受支持，请使用 WGS84（EPSG:4326）或 CGCS2000（EPSG:4490）经纬度。"
            )
    for ring in _rings(geometry):
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError("多边形的每个环至少需要 4 个坐标点（首尾相同）。")
        for point in ring:
            if (
                not isinstance(point, list | tuple)
                or len(point) < 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point[:2])
            ):
                raise ValidationError("坐标点应为 [经度, 纬度] 数值。")
            lon, lat = point[0], point[1]
            swapped = LAT_RANGE[0] <= lon <= LAT_RANGE[1] and LON_RANGE[0] <= lat <= LON_RANGE[1]
            if swapped:
                raise ValidationError(f"坐标 [{lon}, {lat}] 的经纬度顺序颠倒，GeoJSON 应为 [经度, 纬度]。")
            if abs(lon) > 180 or abs(lat) > 90:
                raise ValidationError(
                    f"坐标 [{lon}, {lat}] 不是经纬度（疑似投影坐标，单位为米），"
                    "请转换为 WGS84/CGCS2000 经纬度后再导入。"
                )
            if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
                raise ValidationError(f"坐标 [{lon}, {lat}] 不在我国境内，请检查经纬度是否颠倒。")
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValidationError("多边形的环应首尾闭合（第一个点与最后一个点相同）。")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}
