#!/usr/bin/env python3
"""Opens an HTML report in headless Chromium, takes a screenshot, and checks that each of the five
charts shows: the colours the report draws them with (Sources/Reporting/OperatingReportHTML.swift,
ChartColor) must cover a minimum of pixels, each in the band of the page where its chart is.

usage: check-report-screenshot.py REPORT.html SCREENSHOT.png
"""
import os
import shutil
import subprocess
import sys

from PIL import Image

# chart id -> colours that must appear in it, and how many pixels at least
CHARTS = [
    ("load duration curve", ["#d62728", "#8fbc5a"], 400),
    ("monthly heat per building", ["#1f77b4", "#ff7f0e", "#2ca02c"], 300),
    ("silo level", ["#8c564b"], 300),
    ("boiler run pattern", ["#2ca02c"], 300),
    ("outdoor vs supply", ["#1f77b4", "#ff7f0e"], 300),
]
CHART_HEIGHT = 320  # each chart's SVG is 320 px high, in this order from the top of the charts section


def rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


def main():
    html, png = sys.argv[1], sys.argv[2]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("check-report-screenshot: chromium is not installed (apt-get install chromium)")
    if os.path.exists(png):
        os.remove(png)
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
           "--window-size=1000,2200", f"--screenshot={png}", "file://" + os.path.abspath(html)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not os.path.exists(png):
        sys.exit(f"check-report-screenshot: chromium wrote no screenshot (exit {r.returncode}): {r.stderr[-500:]}")
    img = Image.open(png).convert("RGB")
    w, h = img.size
    px = img.load()
    # the charts start where the first chart's colour first appears in a row: find the top of the
    # load duration curve's frame by its title row instead: scan for the first row holding red
    bands = []
    first_red = next((y for y in range(h) if any(px[x, y] == rgb("#d62728") for x in range(0, w, 2))), None)
    if first_red is None:
        sys.exit("check-report-screenshot: no load duration curve (no red pixel) in the screenshot")
    # the legend square of the first chart sits about 8 px below the SVG's top
    top = max(0, first_red - 10)
    failures = []
    for k, (name, colours, minimum) in enumerate(CHARTS):
        y0 = top + k * (CHART_HEIGHT + 16)  # figures are separated by their margin
        y1 = min(h, y0 + CHART_HEIGHT + 24)
        counts = {}
        for c in colours:
            target = rgb(c)
            n = 0
            for y in range(y0, y1):
                for x in range(w):
                    if px[x, y] == target:
                        n += 1
            counts[c] = n
        ok = all(n >= minimum for n in counts.values())
        print(f"{'ok  ' if ok else 'FAIL'} {name}: rows {y0}-{y1}, pixels " + ", ".join(f"{c} {n}" for c, n in counts.items()) + f" (at least {minimum} each)")
        if not ok:
            failures.append(name)
    if failures:
        sys.exit(f"check-report-screenshot: charts not shown: {', '.join(failures)} (screenshot {png})")
    print(f"check-report-screenshot: all {len(CHARTS)} charts shown in {png} ({w}x{h})")


if __name__ == "__main__":
    main()
