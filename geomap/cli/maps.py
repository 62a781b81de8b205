"""``geomap map`` (interactive HTML map) and ``geomap zones`` (zones as GeoJSON)."""

from __future__ import annotations

import sys

from geomap.errors import InputError

#: largest zone radius/band width: a geodesic circle far beyond this wraps a pole or the
#: antimeridian and no longer draws as a circle (zones are local by design)
MAX_ZONE_KM = 2000.0


def _check_zone_km(km: float, option: str, spec: str) -> float:
    if km > MAX_ZONE_KM:
        raise InputError(f"{option} {spec!r}: {km:,.0f} km is larger than the {MAX_ZONE_KM:,.0f} km "
                         "a zone may span", field=option)
    return km


def _zone_args(p) -> None:
    g = p.add_argument_group("zones")
    g.add_argument("--buffer", action="append", default=[], metavar="PLACE:DIST",
                   help="circle around a place (gazetteer name or LAT,LON), e.g. Sudzha:10km "
                   "or 51.191,35.271:10km; repeatable")
    g.add_argument("--buffer-events", metavar="DIST",
                   help="circle of this radius around every event, e.g. 5km")
    g.add_argument("--border-zone", action="append", default=[], metavar="BORDER:D1,D2",
                   help="bands along a border, e.g. RU-UA:10km,30km (rings 0-10 and 10-30 km)")
    g.add_argument("--border-zone-inside", default="RU", metavar="RU|UA",
                   help="country the bands lie in (default RU)")
    g.add_argument("--clip-admin1", metavar="NAME",
                   help="clip the border bands to an oblast, e.g. 'Kursk Oblast' or RU-KRS")


def register(sub) -> None:
    m = sub.add_parser(
        "map", help="interactive HTML map of events, zones and boundaries",
        description="Write an interactive Leaflet map. By default the HTML is self-contained "
        "(Leaflet inlined, shipped boundaries as the base map) and opens with no network.",
        epilog="example: geomap map data/articles/kursk_2024-12-16_north_korean_casualties.txt "
        "--buffer Sudzha:10km --border-zone RU-UA:10km,30km --clip-admin1 'Kursk Oblast' "
        "-o map.html")
    m.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="event files (GeoJSON, GPKG, CSV, …) and article .txt files "
                   "(metadata from the sibling .json)")
    m.add_argument("-o", "--output", help="HTML file to write")
    m.add_argument("--png", metavar="FILE",
                   help="also (or only) write a static picture of the map with legend, scale, "
                   "attribution and an events-per-day chart (matplotlib, offline)")
    _zone_args(m)
    m.add_argument("--places", metavar="FILE",
                   help="context places (GeoJSON/GPKG/CSV with name + point/latitude,longitude)")
    m.add_argument("--title", help="map title")
    m.add_argument("--online", action="store_true",
                   help="load Leaflet from a CDN and use OpenStreetMap tiles (smaller file)")
    m.add_argument("--no-boundaries", action="store_true", help="do not draw admin boundaries")
    m.add_argument("--cluster", choices=("auto", "yes", "no"), default="auto",
                   help="cluster markers (auto: above 300 events)")
    m.set_defaults(handler=_map)

    z = sub.add_parser(
        "zones", help="export buffer zones and border bands as GeoJSON",
        description="Compute zones (geodesic circles, border bands) and write them as RFC 7946 "
        "GeoJSON (lon/lat, no crs member) or GeoPackage.",
        epilog="example: geomap zones --border-zone RU-UA:10km,30km --clip-admin1 'Kursk Oblast' "
        "--buffer Sudzha:10km -o zones.geojson")
    z.add_argument("inputs", nargs="*", metavar="INPUT", help="event files for --buffer-events")
    z.add_argument("-o", "--output", required=True, help=".geojson or .gpkg file to write")
    _zone_args(z)
    z.set_defaults(handler=_zones)


def _compute_zones(args, events):
    from geomap.maps.inputs import parse_border_zone, parse_buffer, parse_km, resolve_place
    from geomap.spatial import zones

    buffers = None
    if args.buffer:
        points, radii = {}, {}
        for spec in args.buffer:
            name, coords, radius = parse_buffer(spec)
            _check_zone_km(radius, "--buffer", spec)
            points[name] = coords or resolve_place(name)
            radii[name] = radius
        buffers = zones.buffer_zones(points, radii)
    ev_km = parse_km(args.buffer_events, "--buffer-events") if args.buffer_events else None
    if ev_km is not None:
        _check_zone_km(ev_km, "--buffer-events", args.buffer_events)
    if ev_km is not None and (events is None or not len(events)):
        raise InputError("--buffer-events needs event INPUT files", field="--buffer-events")
    bands = []
    for spec in args.border_zone:
        border, dists = parse_border_zone(spec)
        for d in dists:
            _check_zone_km(d, "--border-zone", spec)
        bands.append(zones.border_zones(dists, inside=args.border_zone_inside, border=border,
                                        clip_to=args.clip_admin1))
    if args.clip_admin1 and not args.border_zone:
        raise InputError("--clip-admin1 clips border bands: add --border-zone",
                         field="--clip-admin1")
    band = None
    if bands:
        import geopandas as gpd
        import pandas as pd

        band = gpd.GeoDataFrame(pd.concat(bands, ignore_index=True), geometry="geometry",
                                crs=4326)
    return buffers, ev_km, band


def _map(args) -> int:
    from geomap.maps.build import folium_map, map_data
    from geomap.maps.inputs import load_events

    if not args.output and not args.png:
        raise InputError("give -o FILE.html and/or --png FILE.png", field="--output")
    events = load_events(args.inputs)
    buffers, ev_km, bands = _compute_zones(args, events)
    places = None
    if args.places:
        places = _read_places(args.places)
    cluster = {"auto": None, "yes": True, "no": False}[args.cluster]
    data = map_data(events, buffers=buffers, buffer_events_km=ev_km, border_zones=bands,
                    boundaries=not args.no_boundaries, online=args.online, title=args.title,
                    places=places, cluster=cluster)
    n = 0 if events is None else len(events)
    if args.png:
        from geomap.io import atomic_path
        from geomap.maps.snapshot import render_png

        with atomic_path(args.png) as tmp:
            render_png(data, tmp)
        print(f"wrote {args.png}: {n} events (static picture)", file=sys.stderr)
    if args.output:
        from geomap.io import atomic_open

        html = folium_map(data, online=args.online).get_root().render()
        with atomic_open(args.output) as fh:
            fh.write(html)
        print(f"wrote {args.output}: {n} events, {len(html) / 1e6:.2f} MB"
              f"{' (offline, self-contained)' if not args.online else ''}", file=sys.stderr)
    return 0


def _read_places(path):
    import geopandas as gpd
    import pandas as pd

    try:
        if path.lower().endswith(".csv"):
            df = pd.read_csv(path)
            cols = {c.lower(): c for c in df.columns}
            lat, lon = cols.get("latitude", cols.get("lat")), cols.get("longitude", cols.get("lon"))
            if lat is None or lon is None:
                raise InputError("needs latitude and longitude columns", path=path, line=1,
                                 field="latitude")
            return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df[lon], df[lat]), crs=4326)
        return gpd.read_file(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas/GDAL raise many kinds for a bad file
        raise InputError(f"cannot read places ({type(exc).__name__}): {exc}", path=path) from None


def _zones(args) -> int:
    import json

    from geomap.io import atomic_open, atomic_path
    from geomap.maps.inputs import load_events
    from geomap.spatial import zones

    events = load_events(args.inputs) if args.inputs else None
    buffers, ev_km, bands = _compute_zones(args, events)
    ev = None
    if ev_km is not None:
        ev = zones.buffer_zones(events[events.geometry.notna() & ~events.geometry.is_empty],
                                ev_km)
    gdf = zones.combine_zones(buffer=buffers, events=ev, border=bands)
    if not len(gdf):
        raise InputError("no zones requested: use --buffer, --buffer-events or --border-zone")
    out = args.output
    if out.lower().endswith(".gpkg"):
        with atomic_path(out) as tmp:
            gdf.to_file(tmp, driver="GPKG", layer="zones", engine="pyogrio")
    elif out.lower().endswith((".geojson", ".json")):
        with atomic_open(out) as fh:
            json.dump(zones.zones_to_geojson(gdf), fh, ensure_ascii=False)
    else:
        raise InputError("output must end in .geojson, .json or .gpkg", path=out)
    for row in gdf.head(20).itertuples(index=False):
        print(f"{row.kind:7s} {row.name}: {row.area_km2:,.1f} km²", file=sys.stderr)
    if len(gdf) > 20:
        print(f"… and {len(gdf) - 20} more zones", file=sys.stderr)
    print(f"wrote {out}: {len(gdf)} zones", file=sys.stderr)
    return 0
