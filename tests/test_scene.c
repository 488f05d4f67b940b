/* Tests of scene files: valid scenes read field by field (defaults too), and invalid ones with
 * the exact list of "path:line:col: error: message" lines, one case per rule of the format. */
#include "io/vt_io.h"
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Inline scenes live "in" tests/scenes, so img/dot.png resolves. */
#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define W(line, col, msg) PATH ":" #line ":" #col ": warning: " msg "\n"
#define HEAD "format: vitrine/1\ncanvas:\n  size: [64, 48]\n"
#define BOOL_FIX "; expected true or false"
#define COLOUR_FIX "write a colour in quotes, like \"#ff8800\" (unquoted, # starts a comment)"
#define RECT_KEYS                                                                                  \
    "id, type, position, anchor, size, color, opacity, rotation, scale, blend, visible, hit, "     \
    "drag, scroll, pinch, pressed, selected, radius, border, fill, shadow, mask"
#define ROOT_KEYS                                                                                  \
    "format, title, canvas, layers, timelines, states, triggers, energy, schedule, language, "     \
    "sounds, listener, buses, outputs"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
    unsigned flags;
} bad_case;

static const bad_case bad_cases[] = {
    /* ---- the restricted YAML profile ---- */
    {"second document", HEAD "---\ntitle: two\n",
     E(4, 1,
       "a second document starts here; a file holds one document (remove the '---' line "
       "and what follows, or merge them)"),
     0},
    {"anchor", HEAD "layers: &l []\n",
     E(4, 9, "anchors (&l) are not allowed; write the value out in full"), 0},
    {"anchor and alias", HEAD "x-a: &a 1\nx-b: *a\n",
     E(4, 6, "anchors (&a) are not allowed; write the value out in full")
         E(5, 6, "aliases (*a) are not allowed; write the value out in full"),
     0},
    {"alias as a value", HEAD "title: *t\n",
     E(4, 8, "aliases (*t) are not allowed; write the value out in full"), 0},
    {"core tag", HEAD "title: !!str 5\n",
     E(4, 8, "tags (!!str) are not allowed; remove the tag and write the plain value"), 0},
    {"local tag", HEAD "x-t: !foo bar\n",
     E(4, 6, "tags (!foo) are not allowed; remove the tag and write the plain value"), 0},
    {"merge key", "format: vitrine/1\ncanvas:\n  <<: {fps: 30}\n  size: [64, 48]\n",
     E(3, 3, "merge keys (<<) are not allowed; write the keys out in this mapping"), 0},
    {"duplicate key", "format: vitrine/1\ncanvas:\n  fps: 30\n  size: [64, 48]\n  fps: 60\n",
     E(5, 3, "duplicate key 'fps' (first at line 3, column 3); remove one of them"), 0},
    {"duplicate key thrice", HEAD "title: a\ntitle: b\ntitle: c\n",
     E(5, 1, "duplicate key 'title' (first at line 4, column 1); remove one of them")
         E(6, 1, "duplicate key 'title' (first at line 4, column 1); remove one of them"),
     0},
    {"complex key", HEAD "? [a, b]\n: 1\n",
     E(4, 3, "keys must be plain names, not a sequence; write 'name: value'"), 0},
    {"tab after spaces", HEAD "layers:\n  - id: a\n  \t type: rect\n",
     E(6, 3, "tabs are not allowed for indentation; indent with spaces"), 0},
    {"empty file", "",
     PATH ":1:1: error: the file is empty; a scene starts with "
          "'format: vitrine/1'\n",
     0},
    {"only comments", "# nothing yet\n\n",
     PATH ":1:1: error: the file is empty; a scene "
          "starts with 'format: vitrine/1'\n",
     0},
    {"sequence document", "- a\n",
     E(1, 1, "a scene must be a mapping of keys like 'format: vitrine/1', not a sequence"), 0},
    {"scalar document", "hello\n",
     E(1, 1, "a scene must be a mapping of keys like 'format: vitrine/1', not a string"), 0},
    {"empty document", "---\n",
     E(2, 1, "a scene must be a mapping of keys like 'format: vitrine/1', not empty"), 0},
    {"syntax: unclosed flow", "format: vitrine/1\ncanvas: [\n",
     E(3, 1,
       "did not find expected node content while parsing a flow node (which started at "
       "line 3, column 1)"),
     0},
    {"syntax: bad indentation", "format: vitrine/1\ncanvas:\n  size: [1, 1]\n fps: 3\n",
     E(4, 2,
       "did not find expected key while parsing a block mapping (which started at line 1, "
       "column 1)"),
     0},
    {"syntax: tab", "format: vitrine/1\ncanvas:\n\tsize: [1, 1]\n",
     E(3, 1, "tabs are not allowed for indentation; indent with spaces"), 0},
    {"syntax: invalid UTF-8", "format: vitrine/1\ntitle: caf\xe9\n",
     E(2, 11,
       "invalid UTF-8 at byte 28 (0xE9); the file must be UTF-8 text: save it as UTF-8 "
       "in your editor"),
     0},
    {"syntax: control character", "format: vitrine/1\ntitle: a\x01\n",
     E(2, 9,
       "control characters are not allowed; the file must be UTF-8 text without control "
       "characters"),
     0},

    /* ---- format, canvas, layers ---- */
    {"missing format", "canvas:\n  size: [64, 48]\n",
     E(1, 1, "missing required key 'format'; add 'format: vitrine/1' as the first line"), 0},
    {"other format stops there", "format: vitrine/2\ncanvas: 3\nlights: []\n",
     E(1, 9, "unsupported format 'vitrine/2'; this version of Vitrine reads vitrine/1"), 0},
    {"format not a string", "format: [1]\ncanvas:\n  size: [64, 48]\n",
     E(1, 9, "'format' must be a string, not a sequence"), 0},
    {"missing canvas", "format: vitrine/1\ntitle: t\n", E(1, 1, "missing required key 'canvas'"),
     0},
    {"canvas not a mapping", "format: vitrine/1\ncanvas: 5\n",
     E(2, 9,
       "'canvas' must be a mapping, not a number; write 'size: [1920, 1080]' on the next "
       "line, indented"),
     0},
    {"missing size", "format: vitrine/1\ncanvas:\n  fps: 30\n",
     E(3, 3, "missing required key 'size' in 'canvas'"), 0},
    {"size shape", "format: vitrine/1\ncanvas:\n  size: [64]\n",
     E(3, 9, "'size' must be a sequence of 2 integers, like [1920, 1080]"), 0},
    {"size scalar", "format: vitrine/1\ncanvas:\n  size: 64\n",
     E(3, 9, "'size' must be a sequence of 2 integers, like [1920, 1080]"), 0},
    {"size range", "format: vitrine/1\ncanvas:\n  size: [0, 16385]\n",
     E(3, 10, "'size' must be between 1 and 16384, got 0")
         E(3, 13, "'size' must be between 1 and 16384, got 16385"),
     0},
    {"size decimal", "format: vitrine/1\ncanvas:\n  size: [64.5, 1e2]\n",
     E(3, 10, "'size' must be an integer, got 64.5"), 0},
    {"fps quoted", HEAD "  fps: \"60\"\n", E(4, 8, "'fps' must be an integer, not a string"), 0},
    {"fps sequence", HEAD "  fps: [60]\n", E(4, 8, "'fps' must be an integer, not a sequence"), 0},
    {"fps mapping", HEAD "  fps: {a: 1}\n", E(4, 8, "'fps' must be an integer, not a mapping"), 0},
    {"fps boolean", HEAD "  fps: true\n", E(4, 8, "'fps' must be an integer, not a boolean"), 0},
    {"fps empty", HEAD "  fps:\n", E(4, 7, "'fps' has no value; expected an integer"), 0},
    {"fps null", HEAD "  fps: ~\n", E(4, 8, "'fps' has no value; expected an integer"), 0},
    {"fps decimal", HEAD "  fps: 59.94\n", E(4, 8, "'fps' must be an integer, got 59.94"), 0},
    {"fps range", HEAD "  fps: 0\n", E(4, 8, "'fps' must be between 1 and 240, got 0"), 0},
    {"fps range high", HEAD "  fps: 241\n", E(4, 8, "'fps' must be between 1 and 240, got 241"), 0},
    {"fps hex", HEAD "  fps: 0x10\n", E(4, 8, "'fps' must be an integer, got '0x10'"), 0},
    {"fps underscore", HEAD "  fps: 1_0\n", E(4, 8, "'fps' must be an integer, got '1_0'"), 0},
    {"fps octal-looking", HEAD "  fps: 010\n", E(4, 8, "'fps' must be an integer, got '010'"), 0},
    {"fps trailing dot", HEAD "  fps: 2.\n", E(4, 8, "'fps' must be an integer, got '2.'"), 0},
    {"fps inf", HEAD "  fps: .inf\n", E(4, 8, "'fps' must be a finite number, got .inf"), 0},
    {"background unquoted", HEAD "  background: #101014\n",
     E(4, 14, "'background' has no value; " COLOUR_FIX), 0},
    {"background word", HEAD "  background: red\n",
     E(4, 15, "'background' must be a colour like \"#ff8800\" or \"#ff8800cc\", got 'red'"), 0},
    {"background short", HEAD "  background: \"#fff\"\n",
     E(4, 15, "'background' must be a colour like \"#ff8800\" or \"#ff8800cc\", got '#fff'"), 0},
    {"background sequence", HEAD "  background: [1, 2, 3]\n",
     E(4, 15, "'background' must be a colour, not a sequence; " COLOUR_FIX), 0},
    {"title sequence", HEAD "title: [a]\n", E(4, 8, "'title' must be a string, not a sequence"), 0},
    {"title empty", HEAD "title:\n", E(4, 7, "'title' has no value; expected a string"), 0},
    {"title NUL", HEAD "title: \"a\\0b\"\n",
     E(4, 8, "'title' contains a NUL character (\\0); remove it"), 0},
    {"layers mapping", HEAD "layers: {a: 1}\n",
     E(4, 9, "'layers' must be a sequence, not a mapping"), 0},
    {"layer not a mapping", HEAD "layers: [5, x]\n",
     E(4, 10, "each layer must be a mapping with an id and a type, not a number")
         E(4, 13, "each layer must be a mapping with an id and a type, not a string"),
     0},
    {"unknown root key, suggestion", HEAD "tilte: x\n",
     E(4, 1, "unknown key 'tilte'; did you mean 'title'?"), 0},
    {"unknown root key, list", HEAD "lights: []\n",
     E(4, 1, "unknown key 'lights'; valid keys: " ROOT_KEYS), 0},
    {"unknown canvas key", HEAD "  backgound: \"#000000\"\n",
     E(4, 3, "unknown key 'backgound' in 'canvas'; did you mean 'background'?"), 0},
    {"long unknown key is cut",
     HEAD "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 1\n",
     E(4, 1,
       "unknown key 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'; "
       "valid keys: " ROOT_KEYS),
     0},

    /* ---- layers ---- */
    {"unknown layer key, suggestion",
     HEAD "layers:\n  - id: sea\n    type: rect\n    size: [1, 1]\n    opactiy: 1\n",
     E(8, 5, "unknown key 'opactiy' in layer 'sea'; did you mean 'opacity'?"), 0},
    {"unknown layer key, list", HEAD "layers:\n  - {id: r, type: rect, size: [1, 1], zindex: 2}\n",
     E(5, 39, "unknown key 'zindex' in layer 'r'; valid keys: " RECT_KEYS), 0},
    {"unknown layer type", HEAD "layers:\n  - {id: v, type: hologram}\n",
     E(5, 19,
       "unknown layer type 'hologram'; valid types: image, rect, text, captions, shader, video, slideshow"),
     0},
    {"misspelt layer type", HEAD "layers:\n  - {id: v, type: imgae, src: img/dot.png}\n",
     E(5, 19, "unknown layer type 'imgae'; did you mean 'image'?"), 0},
    {"missing id and type", HEAD "layers:\n  - opacity: 1\n",
     E(5, 5, "missing required key 'id' in layer #1")
         E(5, 5, "missing required key 'type' in layer #1"),
     0},
    {"missing src", HEAD "layers:\n  - id: sea\n    type: image\n",
     E(5, 5, "missing required key 'src' in layer 'sea'"), 0},
    {"rect needs a size", HEAD "layers:\n  - {id: r, type: rect}\n",
     E(5, 5, "missing required key 'size' in layer 'r'"), 0},
    {"src and fit not allowed in rect",
     HEAD "layers:\n  - {id: r, type: rect, size: [1, 1], src: a.png, fit: none}\n",
     E(5, 39, "'src' is not allowed in a rect layer")
         E(5, 51, "'fit' is not allowed in a rect layer"),
     0},
    {"bad enums",
     HEAD "layers:\n  - id: a\n    type: image\n    src: img/dot.png\n"
          "    fit: stretch\n    filter: smooth\n    blend: mutliply\n",
     E(8, 10, "unknown fit 'stretch'; valid fits: fill, contain, cover, none")
         E(9, 13, "unknown filter 'smooth'; valid filters: linear, nearest")
             E(10, 12, "unknown blend 'mutliply'; did you mean 'multiply'?"),
     0},
    {"invalid ids",
     HEAD "layers:\n  - {id: 3d, type: rect, size: [1, 1]}\n"
          "  - {id: \"a b\", type: rect, size: [1, 1]}\n"
          "  - {id: \"\", type: rect, size: [1, 1]}\n",
     E(5, 10,
       "invalid id '3d'; an id starts with a letter or '_' and holds only letters, "
       "digits, '_' and '-'")
         E(6, 10,
           "invalid id 'a b'; an id starts with a letter or '_' and holds only letters, "
           "digits, '_' and '-'")
             E(7, 10,
               "invalid id ''; an id starts with a letter or '_' and holds only letters, "
               "digits, '_' and '-'"),
     0},
    {"duplicate ids",
     HEAD "layers:\n  - id: sea\n    type: rect\n    size: [1, 1]\n"
          "  - id: sea\n    type: rect\n    size: [1, 1]\n",
     E(8, 9,
       "duplicate id 'sea' (first used at line 5, column 9); ids must be unique in a "
       "scene"),
     0},
    {"booleans of YAML 1.1 are strings",
     HEAD "layers:\n  - {id: a, type: rect, size: [1, 1], visible: yes}\n"
          "  - {id: b, type: rect, size: [1, 1], visible: no}\n"
          "  - {id: c, type: rect, size: [1, 1], visible: on}\n"
          "  - {id: d, type: rect, size: [1, 1], visible: off}\n"
          "  - {id: e, type: rect, size: [1, 1], visible: True}\n"
          "  - {id: f, type: rect, size: [1, 1], visible: \"true\"}\n"
          "  - {id: g, type: rect, size: [1, 1], visible: 1}\n",
     E(5, 48, "'visible' must be a boolean, got 'yes'" BOOL_FIX)
         E(6, 48, "'visible' must be a boolean, got 'no'" BOOL_FIX)
             E(7, 48, "'visible' must be a boolean, got 'on'" BOOL_FIX)
                 E(8, 48, "'visible' must be a boolean, got 'off'" BOOL_FIX)
                     E(9, 48, "'visible' must be a boolean, got 'True'" BOOL_FIX)
                         E(10, 48, "'visible' must be a boolean, not a string" BOOL_FIX)
                             E(11, 48, "'visible' must be a boolean, not a number" BOOL_FIX),
     0},
    {"numbers refused",
     HEAD "layers:\n  - id: a\n    type: rect\n    size: [1, -1]\n"
          "    opacity: 1.5\n    rotation: .nan\n    anchor: [0.5, 1e999]\n"
          "    position: [-.inf, 1e7]\n",
     E(7, 15, "'size' must be between 0 and 1000000, got -1")
         E(8, 14, "'opacity' must be between 0 and 1, got 1.5")
             E(9, 15, "'rotation' must be a finite number, got .nan")
                 E(10, 19, "'anchor' must be a finite number, got 1e999")
                     E(11, 16, "'position' must be a finite number, got -.inf")
                         E(11, 23, "'position' must be between -1000000 and 1000000, got 1e7"),
     0},
    {"numbers as strings",
     HEAD "layers:\n  - id: a\n    type: rect\n    size: [\"1\", 1]\n"
          "    opacity: nan\n    rotation: '5'\n",
     E(7, 12, "'size' must be a number, not a string")
         E(8, 14, "'opacity' must be a finite number, got nan")
             E(9, 15, "'rotation' must be a number, not a string"),
     0},
    {"shapes",
     HEAD "layers:\n  - id: a\n    type: rect\n    size: [1, 2, 3]\n"
          "    position: 5\n    anchor: {x: 1}\n    scale: [1, 2, 3]\n    color: 7\n",
     E(7, 11, "'size' must be a sequence of 2 numbers, like [1920, 1080]")
         E(8, 15, "'position' must be a sequence of 2 numbers, like [960, 540]")
             E(9, 13, "'anchor' must be a sequence of 2 numbers, like [0.5, 0.5]") E(
                 10, 12, "'scale' must be a number or a sequence of 2 numbers, like 1.5 or [-1, 1]")
                 E(11, 12, "'color' must be a colour like \"#ff8800\" or \"#ff8800cc\", got '7'"),
     0},
    {"scale range", HEAD "layers:\n  - {id: a, type: rect, size: [1, 1], scale: 1e5}\n",
     E(5, 46, "'scale' must be between -10000 and 10000, got 1e5"), 0},

    /* ---- asset paths ---- */
    {"path leaves the folder", HEAD "layers:\n  - {id: a, type: image, src: ../x.png}\n",
     E(5, 31,
       "'../x.png' leaves the scene's folder; assets must stay inside it (copy the file "
       "next to the scene)"),
     0},
    {"absolute path", HEAD "layers:\n  - {id: a, type: image, src: /etc/passwd}\n",
     E(5, 31,
       "'/etc/passwd' is an absolute path; assets must be given relative to the scene's "
       "folder and stay inside it (copy the file next to the scene)"),
     0},
    {"folder as src", HEAD "layers:\n  - {id: a, type: image, src: img}\n",
     E(5, 31, "'img' is not a regular file (it is a folder)"), 0},
    {"empty src", HEAD "layers:\n  - {id: a, type: image, src: \"\"}\n",
     E(5, 31,
       "the path is empty; give a file path relative to the scene's folder, like "
       "img/photo.png"),
     0},
    {"missing asset, strict", HEAD "layers:\n  - {id: a, type: image, src: img/sea.png}\n",
     E(5, 31, "image file 'img/sea.png' not found (looked in scenes)"), VT_SCENE_STRICT_ASSETS},
    {"not an image name", HEAD "layers:\n  - {id: a, type: image, src: img/sea.gif}\n",
     W(5, 31, "image file 'img/sea.gif' not found (looked in scenes)")
         E(5, 31,
           "'img/sea.gif' is not an image file name Vitrine reads; 'src' takes a .png, "
           ".jpg, .jpeg, .webp, .tif or .tiff image"),
     0},
};

static void check_bad_case(const bad_case *bc) {
    check_bad_scene(bc->name, bc->yaml, PATH, bc->flags, bc->expected, NULL);
}

/* Loads text that must be valid; returns the scene (NULL, reported, when it is not). */
static vt_scene *load_ok(const char *text, size_t len, unsigned flags, const char *expect_diags) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(text, len, PATH, flags, &scene, &d);
    char *got = diags_text(&d);
    VT_CHECK_INT(st, VT_OK);
    VT_CHECK_STR(got, expect_diags);
    free(got);
    vt_diags_free(&d);
    return scene;
}

static void test_minimal_defaults(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/minimal.yaml", 0, &s, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    if (!s) {
        return;
    }
    VT_CHECK_STR(s->path, "scenes/minimal.yaml");
    VT_CHECK_STR(s->dir, "scenes");
    VT_CHECK(s->title == NULL);
    VT_CHECK_INT(s->width, 640);
    VT_CHECK_INT(s->height, 360);
    VT_CHECK_INT(s->fps, 60);
    VT_CHECK_INT(s->background.r, 0);
    VT_CHECK_INT(s->background.g, 0);
    VT_CHECK_INT(s->background.b, 0);
    VT_CHECK_INT(s->background.a, 255);
    VT_CHECK_INT(s->layer_count, 0);
    VT_CHECK(s->layers == NULL);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

static void check_layer_defaults(const vt_layer *l) {
    VT_CHECK_INT(l->fit, VT_FIT_FILL);
    VT_CHECK_INT(l->filter, VT_FILTER_LINEAR);
    VT_CHECK_INT(l->blend, VT_BLEND_NORMAL);
    VT_CHECK(!l->has_size);
    VT_CHECK_NEAR(l->props.position.x, 0, 0);
    VT_CHECK_NEAR(l->props.position.y, 0, 0);
    VT_CHECK_NEAR(l->props.anchor.x, 0, 0);
    VT_CHECK_NEAR(l->props.anchor.y, 0, 0);
    VT_CHECK_NEAR(l->props.size.x, 0, 0);
    VT_CHECK_NEAR(l->props.scale.x, 1, 0);
    VT_CHECK_NEAR(l->props.scale.y, 1, 0);
    VT_CHECK_NEAR(l->props.rotation, 0, 0);
    VT_CHECK_NEAR(l->props.opacity, 1, 0);
    VT_CHECK_INT(l->props.color.r, 255);
    VT_CHECK_INT(l->props.color.g, 255);
    VT_CHECK_INT(l->props.color.b, 255);
    VT_CHECK_INT(l->props.color.a, 255);
    VT_CHECK(l->props.visible);
    VT_CHECK(l->hit);
}

static void check_sea_layer(const vt_layer *l) {
    VT_CHECK_STR(l->id, "sea");
    VT_CHECK_INT(l->type, VT_LAYER_IMAGE);
    VT_CHECK_STR(l->src, "img/dot.png");
    VT_CHECK_STR(l->src_path, "scenes/img/dot.png");
    VT_CHECK_INT(l->line, 11);
    VT_CHECK_INT(l->col, 5);
    VT_CHECK_NEAR(l->props.position.x, 960, 0);
    VT_CHECK_NEAR(l->props.position.y, 540, 0);
    VT_CHECK_NEAR(l->props.anchor.x, 0.5, 0);
    VT_CHECK_NEAR(l->props.anchor.y, 0.5, 0);
    VT_CHECK(l->has_size);
    VT_CHECK_NEAR(l->props.size.x, 1920, 0);
    VT_CHECK_NEAR(l->props.size.y, 1080, 0);
    VT_CHECK_INT(l->fit, VT_FIT_COVER);
    VT_CHECK_INT(l->filter, VT_FILTER_NEAREST);
    VT_CHECK_INT(l->props.color.r, 255);
    VT_CHECK_INT(l->props.color.a, 0x80);
    VT_CHECK_NEAR(l->props.opacity, 0.75, 0);
    VT_CHECK_NEAR(l->props.rotation, -12.5, 0);
    VT_CHECK_NEAR(l->props.scale.x, 1.5, 0);
    VT_CHECK_NEAR(l->props.scale.y, -2, 0);
    VT_CHECK_INT(l->blend, VT_BLEND_SCREEN);
    VT_CHECK(!l->props.visible);
}

static void test_full_scene_file(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/salle2.yaml", VT_SCENE_STRICT_ASSETS, &s, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    if (!s || s->layer_count != 3) {
        VT_CHECK(s && s->layer_count == 3);
        vt_scene_destroy(s);
        return;
    }
    VT_CHECK_STR(s->title, "Salle 2 — Les marées");
    VT_CHECK_INT(s->width, 1920);
    VT_CHECK_INT(s->height, 1080);
    VT_CHECK_INT(s->fps, 30);
    VT_CHECK_INT(s->background.r, 0x10);
    VT_CHECK_INT(s->background.g, 0x10);
    VT_CHECK_INT(s->background.b, 0x14);
    VT_CHECK_INT(s->background.a, 0xff);
    check_sea_layer(&s->layers[0]);
    const vt_layer *veil = &s->layers[1];
    VT_CHECK_STR(veil->id, "veil");
    VT_CHECK_INT(veil->type, VT_LAYER_RECT);
    VT_CHECK(veil->src == NULL && veil->src_path == NULL);
    VT_CHECK(veil->has_size);
    VT_CHECK_NEAR(veil->props.size.y, 200, 0);
    VT_CHECK_INT(veil->props.color.r, 0);
    VT_CHECK_INT(veil->props.color.a, 255);
    VT_CHECK_NEAR(veil->props.scale.x, 2, 0);
    VT_CHECK_NEAR(veil->props.scale.y, 2, 0);
    VT_CHECK_INT(veil->blend, VT_BLEND_MULTIPLY);
    VT_CHECK_INT(veil->line, 26);
    const vt_layer *plain = &s->layers[2];
    VT_CHECK_STR(plain->id, "plain_image-2");
    VT_CHECK_INT(plain->line, 32);
    check_layer_defaults(plain);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

static void test_broken_file(void) {
    static const char expected[] =
        "scenes/broken.yaml:3:16: error: 'size' must be between 1 and 16384, got 0\n"
        "scenes/broken.yaml:4:8: error: 'fps' must be an integer, not a string\n"
        "scenes/broken.yaml:5:3: error: unknown key 'backgound' in 'canvas'; did you mean "
        "'background'?\n"
        "scenes/broken.yaml:10:5: error: unknown key 'opactiy' in layer 'sea'; did you mean "
        "'opacity'?\n"
        "scenes/broken.yaml:11:14: error: 'opacity' must be between 0 and 1, got 1.5\n"
        "scenes/broken.yaml:12:5: error: missing required key 'size' in layer 'sea'\n"
        "scenes/broken.yaml:12:9: error: duplicate id 'sea' (first used at line 7, column 9); "
        "ids must be unique in a scene\n"
        "scenes/broken.yaml:14:5: error: 'src' is not allowed in a rect layer\n"
        "scenes/broken.yaml:15:5: error: missing required key 'id' in layer #3\n"
        "scenes/broken.yaml:15:11: error: unknown layer type 'hologram'; valid types: image, "
        "rect, text, captions, shader, video, slideshow\n"
        "scenes/broken.yaml:16:14: error: 'visible' must be a boolean, got 'yes'; expected true "
        "or false\n";
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/broken.yaml", 0, &s, &d), VT_E_DATAERR);
    VT_CHECK(s == NULL);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, expected);
    VT_CHECK_INT(d.errors, 11);
    free(got);
    vt_diags_free(&d);
}

static void test_valid_inline(void) {
    /* x- keys at every level, flow style, numbers in every accepted spelling. */
    static const char text2[] =
        HEAD "  x-projector: {lumens: 5000}\n  fps: 1e2\n"
             "x-tool: [1, {a: b}]\n"
             "layers:\n"
             "  - {id: _a, type: rect, size: [.5, 2.0], x-note: hi, color: \"#AbCdEf\"}\n"
             "  - id: b\n    type: image\n    src: img/missing.png\n    scale: -0.5\n"
             "    position: [-10, +20]\n    rotation: 1e-3\n";
    vt_scene *s = load_ok(text2, sizeof text2 - 1, 0,
                          W(11, 10, "image file 'img/missing.png' not found (looked in scenes)"));
    if (!s) {
        return;
    }
    VT_CHECK_INT(s->fps, 100);
    VT_CHECK_INT(s->layer_count, 2);
    VT_CHECK_NEAR(s->layers[0].props.size.x, 0.5, 0);
    VT_CHECK_INT(s->layers[0].props.color.r, 0xab);
    VT_CHECK_INT(s->layers[0].props.color.b, 0xef);
    VT_CHECK_STR(s->layers[1].src_path, "scenes/img/missing.png");
    VT_CHECK_NEAR(s->layers[1].props.scale.y, -0.5, 0);
    VT_CHECK_NEAR(s->layers[1].props.position.y, 20, 0);
    VT_CHECK_NEAR(s->layers[1].props.rotation, 0.001, 1e-12);
    vt_scene_destroy(s);
}

static void test_layers_empty_or_null(void) {
    const char *texts[] = {HEAD "layers: []\n", HEAD "layers:\n", HEAD "layers: ~\n", HEAD};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        vt_scene *s = load_ok(texts[i], strlen(texts[i]), 0, "");
        VT_CHECK(s && s->layer_count == 0);
        vt_scene_destroy(s);
    }
}

/* HEAD then "x-deep: " and `levels` nested flow sequences: the root mapping is level 1. */
static char *nested(int levels) {
    size_t n = strlen(HEAD) + 8 + 2 * (size_t)levels + 2;
    char *t = vt_xmalloc(n);
    char *p = t + sprintf(t, "%sx-deep: ", HEAD);
    for (int i = 0; i < levels; i++) {
        *p++ = '[';
    }
    for (int i = 0; i < levels; i++) {
        *p++ = ']';
    }
    strcpy(p, "\n");
    return t;
}

static void expect_diags(const char *text, size_t len, const char *expected) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load_string(text, len, PATH, 0, &s, &d), VT_E_DATAERR);
    VT_CHECK(s == NULL);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, expected);
    free(got);
    vt_diags_free(&d);
}

static void test_depth_limit(void) {
    char *ok = nested(VT_SCENE_MAX_DEPTH - 1);
    vt_scene_destroy(load_ok(ok, strlen(ok), 0, ""));
    free(ok);
    /* Level 33 is the 32nd '[' after "x-deep: " (column 9 holds the first). */
    char *deep = nested(VT_SCENE_MAX_DEPTH);
    expect_diags(deep, strlen(deep),
                 E(4, 40, "values are nested more than 32 levels deep; flatten the structure"));
    free(deep);
    /* Far deeper than libyaml could survive without our limit. */
    char *abyss = nested(1000000);
    expect_diags(abyss, strlen(abyss),
                 E(4, 40, "values are nested more than 32 levels deep; flatten the structure"));
    free(abyss);
}

static void test_node_limit(void) {
    /* HEAD holds 9 nodes, "x-many:" and its sequence 2 more: item k is node 11 + k. */
    size_t items = VT_SCENE_MAX_NODES - 11;
    size_t cap = strlen(HEAD) + 16 + 4 * (items + 1);
    char *t = vt_xmalloc(cap);
    char *p = t + sprintf(t, "%sx-many:\n", HEAD);
    for (size_t i = 0; i < items; i++) {
        p = stpcpy(p, "- 0\n");
    }
    vt_scene_destroy(load_ok(t, (size_t)(p - t), 0, ""));
    strcpy(p, "- 0\n");
    char expected[256];
    snprintf(expected, sizeof expected,
             PATH ":%zu:3: error: the file has more than 200000 "
                  "values, the most a scene may hold; make it smaller\n",
             5 + items);
    expect_diags(t, (size_t)(p - t) + 4, expected);
    free(t);
}

static void test_size_limit(const char *dir) {
    size_t n = VT_SCENE_MAX_BYTES;
    char *t = vt_xmalloc(n + 2);
    memset(t, ' ', n + 1);
    memcpy(t, HEAD "#", strlen(HEAD) + 1);
    t[n - 1] = '\n';
    t[n] = '\0';
    /* Exactly at the limit: fine. */
    vt_scene_destroy(load_ok(t, n, 0, ""));
    t[n] = '\n';
    t[n + 1] = '\0';
    const char *msg = ":1:1: error: the file is larger than 8388608 bytes (8 MiB), the most a "
                      "scene may be; make it smaller\n";
    char *expected = vt_xasprintf("%s%s", PATH, msg);
    expect_diags(t, n + 1, expected);
    free(expected);
    /* The same from disk, refused before parsing. */
    char *path = vt_xasprintf("%s/big.yaml", dir);
    VT_CHECK_INT(vt_file_write_atomic(path, t, n + 1, 0, NULL), VT_OK);
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load(path, 0, &s, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    expected = vt_xasprintf("%s%s", path, msg);
    VT_CHECK_STR(got, expected);
    free(got);
    free(expected);
    vt_diags_free(&d);
    unlink(path);
    free(path);
    free(t);
}

/* A scene in its own folder, with assets reached through links made at test time. */
static void test_symlinks(const char *dir) {
    char *scene_dir = vt_xasprintf("%s/scene", dir);
    char *img = vt_xasprintf("%s/scene/img", dir);
    char *outside = vt_xasprintf("%s/outside.png", dir);
    char *link_out = vt_xasprintf("%s/scene/img/out.png", dir);
    char *dangling = vt_xasprintf("%s/scene/img/gone.png", dir);
    char *path = vt_xasprintf("%s/scene/s.yaml", dir);
    VT_CHECK_INT(vt_dir_create(img, NULL), VT_OK);
    VT_CHECK_INT(vt_file_write_atomic(outside, "x", 1, 0, NULL), VT_OK);
    VT_CHECK_INT(symlink("../../outside.png", link_out), 0);
    VT_CHECK_INT(symlink("../../nowhere.png", dangling), 0);
    static const char text[] = HEAD "layers:\n  - {id: a, type: image, src: img/out.png}\n"
                                    "  - {id: b, type: image, src: img/gone.png}\n";
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load_string(text, strlen(text), path, 0, &s, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    char *expected = vt_xasprintf(
        "%s:5:31: error: 'img/out.png' leads out of the scene's folder through a symbolic link; "
        "assets must stay inside it (copy the file instead of linking it)\n"
        "%s:6:31: warning: image file 'img/gone.png' not found (looked in %s)\n",
        path, path, scene_dir);
    VT_CHECK_STR(got, expected);
    free(got);
    free(expected);
    vt_diags_free(&d);
    unlink(link_out);
    unlink(dangling);
    unlink(outside);
    rmdir(img);
    rmdir(scene_dir);
    free(scene_dir);
    free(img);
    free(outside);
    free(link_out);
    free(dangling);
    free(path);
}

static void test_missing_and_unreadable(void) {
    vt_diags d = {0};
    vt_scene *s = (vt_scene *)&d;
    VT_CHECK_INT(vt_scene_load("scenes/nope.yaml", 0, &s, &d), VT_E_NOINPUT);
    VT_CHECK(s == NULL);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, "scenes/nope.yaml: error: cannot open: No such file or directory\n");
    free(got);
    vt_diags_free(&d);
    VT_CHECK_INT(vt_scene_load("scenes", 0, &s, &d), VT_E_NOINPUT);
    got = diags_text(&d);
    VT_CHECK_STR(got, "scenes: error: cannot read: it is a folder, not a file\n");
    free(got);
    vt_diags_free(&d);
    /* A missing asset is only a warning when not strict; the scene loads. */
    static const char text[] = HEAD "layers:\n  - {id: a, type: image, src: img/sea.png}\n";
    s = load_ok(text, strlen(text), 0,
                W(5, 31,
                  "image file 'img/sea.png' not found (looked in "
                  "scenes)"));
    VT_CHECK(s && strcmp(s->layers[0].src_path, "scenes/img/sea.png") == 0);
    vt_scene_destroy(s);
    vt_scene_destroy(NULL);
}

static void test_color_parse(void) {
    vt_color c = {1, 2, 3, 4};
    VT_CHECK(vt_color_parse("#FFaa00", &c));
    VT_CHECK(c.r == 255 && c.g == 0xaa && c.b == 0 && c.a == 255);
    VT_CHECK(vt_color_parse("#10203040", &c));
    VT_CHECK(c.r == 0x10 && c.g == 0x20 && c.b == 0x30 && c.a == 0x40);
    const char *bad[] = {"#fff", "ff8800", "#gg0000", "#ff88001", "", "#", "#ff8800 "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        VT_CHECK(!vt_color_parse(bad[i], &c));
    }
    VT_CHECK(!vt_color_parse(NULL, &c));
}

int main(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_minimal_defaults();
    test_full_scene_file();
    test_broken_file();
    test_valid_inline();
    test_layers_empty_or_null();
    test_depth_limit();
    test_node_limit();
    test_color_parse();
    test_missing_and_unreadable();
    char dir[] = "/tmp/vt-test-scene-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_size_limit(dir);
    test_symlinks(dir);
    rmdir(dir);
    return vt_test_finish("test_scene");
}
