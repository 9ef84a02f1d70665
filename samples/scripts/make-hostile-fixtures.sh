#!/usr/bin/env bash
# Rebuilds testdata/hostile: real openclipart images turned into the awkward files the pipelines
# must survive (CMYK JPEG, 16-bit PNG, palette PNG with transparency, animated GIF, WebP, BMP,
# truncated JPEG, HTML saved as .jpg, empty file, a PNG header claiming 100000x100000, a real
# 168-megapixel PNG) plus hostile captions.
# Needs Debian's imagemagick and webp packages, python3, and the openclipart-png package
# (downloaded to a temp folder unless OPENCLIPART_DIR points at an extracted copy).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../testdata/hostile
work=${OPENCLIPART_DIR:-$(mktemp -d)}
if [ ! -d "$work/x/usr/share/openclipart/png" ]; then
  (cd "$work" && apt-get download openclipart-png >/dev/null)
  dpkg -x "$work"/openclipart-png_*.deb "$work/x"
fi
png=$work/x/usr/share/openclipart/png
mkdir -p "$out"
cd "$out"
rm -f ./*
base=$(mktemp --suffix=.png)
convert "$png/animals/birds/hen_01.png" -resize 320x320 -background white -flatten "$base"
convert "$base" -colorspace CMYK -quality 85 cmyk.jpg
convert "$png/animals/birds/crow_01.png" -resize 300x300 -depth 16 png48:rgb16.png
convert "$png/animals/bison_leif_lodahl_01.png" -resize 300x300 -colors 64 png8:palette.png
frame=$(mktemp --suffix=.png)
convert "$png/animals/dragon_head_nicu_buculei_01.png" -resize 300x300 -background white -flatten "$frame"
convert -delay 20 "$frame" \( "$frame" -negate \) -loop 0 animated.gif
rm -f "$frame"
convert "$png/animals/az-lizard_benji_park_01.png" -resize 300x300 -background white -flatten bitmap.bmp
webpsrc=$(mktemp --suffix=.png)
convert "$png/animals/emperor_penguin_ralf_ste_01.png" -resize 300x300 -background white -flatten "$webpsrc"
cwebp -quiet -q 80 "$webpsrc" -o picture.webp
rm -f "$webpsrc"
convert "$base" -quality 90 full.jpg
head -c $(( $(stat -c %s full.jpg) * 6 / 10 )) full.jpg > truncated.jpg
rm full.jpg
printf '<!doctype html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n' > html-page.jpg
: > zero.jpg
python3 - <<'PY'
import struct, zlib
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
ihdr = struct.pack('>IIBBBBB', 100000, 100000, 8, 2, 0, 0, 0)
idat = zlib.compress(b'\x00' * 64)
open('bomb-header.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', idat) + chunk(b'IEND', b''))
PY
cp "$png/food/beverages/milk_mateya_01.png" huge-168mp.png
for f in cmyk.jpg rgb16.png palette.png animated.gif bitmap.bmp picture.webp truncated.jpg html-page.jpg zero.jpg bomb-header.png huge-168mp.png; do
  echo "A colourful drawing of an animal on a plain white background, test file ${f%.*}" > "${f%.*}.txt"
done
# hostile captions, each next to a good image
for name in caption-invalid-utf8 caption-100k caption-emoji caption-missing; do cp "$base" "$name.png"; done
printf 'A parrot \xff\xfe sitting on a \xc3\x28 branch\n' > caption-invalid-utf8.txt
python3 -c "print(('a very long caption about a parrot ' * 3000)[:100000])" > caption-100k.txt
printf '\xf0\x9f\xa6\x9c \xf0\x9f\x8c\xb3 \xf0\x9f\x8c\x9e \xe2\x9c\xa8\n' > caption-emoji.txt
rm -f "$base"
chmod 644 ./*
ls -la "$out"
