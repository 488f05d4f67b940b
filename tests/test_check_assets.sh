#!/usr/bin/env bash
# `check` is the gate: every image is decoded and every font file opened as `render` would, and
# what render would draw as a checkerboard or another font is an error at the layer (exit 65).
# The scene's images are bounded in total (each file counted once) and check reports the total;
# a file far smaller than its pixels is a warning.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}

. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"

# png FILE WIDTH HEIGHT: a valid 1-bit grey PNG, all black (a few KB for millions of pixels).
png() {
  "$py" - "$@" <<'EOF'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
row = b'\0' * (1 + (w + 7) // 8)
z = zlib.compressobj(9)
data = b''.join(z.compress(row) for _ in range(h)) + z.flush()
open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' +
                       chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)) +
                       chunk(b'IDAT', data) + chunk(b'IEND', b''))
EOF
}
# scene NAME FILE...: one image layer per file, at lines 5, 8, 11... (column 5).
scene() {
  local name=$1 i=0 f; shift
  { printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n'
    for f in "$@"; do i=$((i+1)); printf '  - id: l%d\n    type: image\n    src: %s\n' "$i" "$f"; done
  } > "$tmp/$name.yaml"
}

dot=$here/scenes/img/dot.png
cp "$dot" "$tmp/dot.png"
scene ok dot.png
expect 0 "a valid image" -- "$bin" check "$tmp/ok.yaml"
contains "$tmp/out" "ok.yaml: ok (1 layer, images 0.0 of 256 Mpx)" "check reports the images' total"

# Each broken file is an error at its layer, with what is wrong.
: > "$tmp/empty.png"
echo "not a picture" > "$tmp/text.png"
head -c 50 "$dot" > "$tmp/cut.png"
"$py" -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[55]^=0x55; open(sys.argv[2],'wb').write(d)" \
  "$dot" "$tmp/crc.png"   # a byte of IDAT's CRC: it no longer matches the data
head -c 400 "$here/fuzz-corpus/image/rgb.jpg" > "$tmp/cut.jpg"
png "$tmp/wide.png" 65536 1
for f in empty text cut crc wide; do
  scene "$f" "$f.png"
  expect 65 "$f.png" -- "$bin" check "$tmp/$f.yaml"
done
scene cutjpg cut.jpg
expect 65 "cut.jpg" -- "$bin" check "$tmp/cutjpg.yaml"
scene all empty.png text.png cut.png crc.png cut.jpg wide.png dot.png
expect 65 "every broken image at once" -- "$bin" check "$tmp/all.yaml"
contains "$tmp/err" "all.yaml:5:5: error: layer 'l1': image 'empty.png': image file is empty" "empty PNG"
contains "$tmp/err" "all.yaml:8:5: error: layer 'l2': image 'text.png': not a PNG, JPEG, WebP or TIFF image" "text as PNG"
contains "$tmp/err" "all.yaml:11:5: error: layer 'l3': image 'cut.png': not a valid PNG image" "truncated PNG"
contains "$tmp/err" "all.yaml:14:5: error: layer 'l4': image 'crc.png': not a valid PNG image: IDAT: CRC error" "CRC-damaged PNG"
contains "$tmp/err" "all.yaml:17:5: error: layer 'l5': image 'cut.jpg': not a valid JPEG image: the file is truncated" "truncated JPEG"
contains "$tmp/err" "all.yaml:20:5: error: layer 'l6': image 'wide.png': PNG image is 65536x1 pixels, over the limit of 65535x65535" "over the limits"
[ "$(grep -c "error:" "$tmp/err")" = 6 ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: 6 errors expected:"; cat "$tmp/err"; }
# render would warn about each of them and draw a checkerboard: the same files, the same words.
expect 0 "render goes on with placeholders" -- "$bin" render "$tmp/all.yaml" --out "$tmp/r" --frames 1
contains "$tmp/err" "image file is empty; drawing a checkerboard" "render warns about what check refuses"

# A JPEG whose few hundred bytes claim 8000x8000 pixels: a warning for its size, an error for
# its data, which stops long before the last block.
"$py" - "$here/fuzz-corpus/image/rgb.jpg" "$tmp/claim.jpg" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = next(i for i in range(2, len(d) - 9) if d[i] == 0xff and d[i + 1] in (0xc0, 0xc2))
d[i + 5:i + 9] = bytes([8000 >> 8, 8000 & 255, 8000 >> 8, 8000 & 255])
open(sys.argv[2], 'wb').write(d)
EOF
scene claim claim.jpg
expect 65 "a 706-byte JPEG claiming 8000x8000" -- "$bin" check "$tmp/claim.yaml"
contains "$tmp/err" "claim.yaml:5:5: warning: layer 'l1': image 'claim.jpg' is a 706-byte file that decodes to 8000x8000 pixels" "implausible size warned"
contains "$tmp/err" "claim.yaml:5:5: error: layer 'l1': image 'claim.jpg': not a valid JPEG image: the image data ends before the last block" "its missing data refused"

# A font file FreeType cannot open is an error at its layer, not another font on the wall.
echo "not a font" > "$tmp/fake.ttf"
printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - id: t\n    type: text\n    text: Bonjour\n    font: fake.ttf\n' > "$tmp/font.yaml"
expect 65 "a .ttf that is not a font" -- "$bin" check "$tmp/font.yaml"
contains "$tmp/err" "font.yaml:5:5: error: layer 't': '$tmp/fake.ttf' is not a font FreeType can read" "fake font"

# The memory bound: 20 different 4096x4096 files (16 Mpx each) go past the 256 Mpx a scene
# may decode to; one file shown by 20 layers is decoded once and counted once.
png "$tmp/big1.png" 4096 4096
files=(); same=()
for i in $(seq 20); do
  [ "$i" = 1 ] || cp "$tmp/big1.png" "$tmp/big$i.png"
  files+=("big$i.png"); same+=(big1.png)
done
scene over "${files[@]}"
expect 65 "20 x 16 Mpx" -- "$bin" check "$tmp/over.yaml"
contains "$tmp/err" "over.yaml:53:5: error: layer 'l17': with image 'big17.png' (4096x4096), the scene's images decode to 272.0 Mpx, over the bound of 256 Mpx for a scene" "the bound named with the total"
expect 65 "render refuses it before opening a window" -- "$bin" render "$tmp/over.yaml" --out "$tmp/r2" --frames 1
contains "$tmp/err" "the scene's images decode to 272.0 Mpx, over the bound of 256 Mpx" "render names the bound"
[ ! -e "$tmp/r2" ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: render wrote $tmp/r2"; }
# 16-bit pictures are kept at 16 bits for dithering (8 bytes a pixel) and count twice: nine
# different 4096x4096 16-bit files are 144 Mpx but 288 against the bound, in check as in render.
"$py" - "$tmp/deep1.png" <<'EOF'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
w = h = 4096
z = zlib.compressobj(9)
row = b'\0' * (1 + 2 * w)
data = b''.join(z.compress(row) for _ in range(h)) + z.flush()
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' +
                              chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 0, 0, 0, 0)) +
                              chunk(b'IDAT', data) + chunk(b'IEND', b''))
EOF
deep=()
for i in $(seq 9); do [ "$i" = 1 ] || cp "$tmp/deep1.png" "$tmp/deep$i.png"; deep+=("deep$i.png"); done
scene deep "${deep[@]}"
expect 65 "9 x 16 Mpx at 16 bits" -- "$bin" check "$tmp/deep.yaml"
contains "$tmp/err" "deep.yaml:29:5: error: layer 'l9': with image 'deep9.png' (4096x4096), the scene's images decode to 288.0 Mpx, over the bound of 256 Mpx for a scene (each file counted once, 16-bit ones twice" "16-bit files count twice"
expect 65 "render refuses it too" -- "$bin" render "$tmp/deep.yaml" --out "$tmp/r3" --frames 1
contains "$tmp/err" "the scene's images decode to 288.0 Mpx" "render counts them the same way"
scene deep8 "${deep[@]:0:8}"
expect 0 "8 x 16 Mpx at 16 bits: 256 Mpx, at the bound" -- "$bin" check "$tmp/deep8.yaml"
contains "$tmp/out" "deep8.yaml: ok (8 layers, images 256.0 of 256 Mpx" "the 16-bit total reported"

scene same "${same[@]}"
expect 0 "one file, 20 layers" -- "$bin" check "$tmp/same.yaml"
contains "$tmp/out" "same.yaml: ok (20 layers, images 16.0 of 256 Mpx, with warnings)" "one file counted once"
contains "$tmp/err" "same.yaml:5:5: warning: layer 'l1': image 'big1.png' is a " "a few KB for 16 Mpx is warned"
[ "$(grep -c "warning:" "$tmp/err")" = 1 ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: one warning for one file:"; cat "$tmp/err"; }

echo "test_check_assets: $passed passed, $failed failed"
[ "$failed" = 0 ]
