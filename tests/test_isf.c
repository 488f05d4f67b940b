/* engine/isf: the ISF header (every input type, passes, imported images, categories, v1), the
 * body scan (what it reads, mainImage, #version), WIDTH/HEIGHT expressions, and positioned
 * errors for bad headers. */
#include "isf/vt_isf.h"

#include "vt_test.h"

static vt_isf *parse(const char *text, vt_diags *d) {
    vt_isf *isf = NULL;
    vt_isf_parse(text, strlen(text), "t.fs", &isf, d);
    return isf;
}

/* The first diagnostic as "line:col: message". */
static const char *first_diag(const vt_diags *d, char *buf, size_t n) {
    if (d->count == 0) {
        return "(none)";
    }
    snprintf(buf, n, "%d:%d: %s", d->items[0].line, d->items[0].col, d->items[0].message);
    return buf;
}

static const char *ALL_TYPES =
    "/*{\n"
    "  \"ISFVSN\": \"2\", \"DESCRIPTION\": \"all types\", \"CREDIT\": \"tests\",\n"
    "  \"CATEGORIES\": [\"Generator\", \"Test\"],\n"
    "  \"INPUTS\": [\n"
    "    {\"NAME\": \"speed\", \"TYPE\": \"float\", \"DEFAULT\": 0.5, \"MIN\": 0, \"MAX\": 2,\n"
    "     \"IDENTITY\": 1, \"LABEL\": \"Speed\"},\n"
    "    {\"NAME\": \"on\", \"TYPE\": \"bool\", \"DEFAULT\": true},\n"
    "    {\"NAME\": \"mode\", \"TYPE\": \"long\", \"VALUES\": [0, 1, 2],\n"
    "     \"LABELS\": [\"a\", \"b\", \"c\"], \"DEFAULT\": 2},\n"
    "    {\"NAME\": \"tint\", \"TYPE\": \"color\", \"DEFAULT\": [1, 0.5, 0, 1]},\n"
    "    {\"NAME\": \"origin\", \"TYPE\": \"point2D\", \"DEFAULT\": [0.25, 0.75],\n"
    "     \"MIN\": [0, 0], \"MAX\": [1, 1]},\n"
    "    {\"NAME\": \"inputImage\", \"TYPE\": \"image\"},\n"
    "    {\"NAME\": \"flash\", \"TYPE\": \"event\"}\n"
    "  ],\n"
    "  \"PASSES\": [\n"
    "    {\"TARGET\": \"small\", \"WIDTH\": \"floor($WIDTH / 4.0)\", \"HEIGHT\": "
    "\"$HEIGHT*$speed\"},\n"
    "    {\"TARGET\": \"acc\", \"PERSISTENT\": true, \"FLOAT\": true},\n"
    "    {}\n"
    "  ],\n"
    "  \"IMPORTED\": {\"noise\": {\"PATH\": \"noise.png\"}}\n"
    "}*/\n"
    "\n"
    "void main() {\n"
    "    gl_FragColor = tint * TIME; // FRAMEINDEX in a comment does not count\n"
    "}\n";

static void test_all_types(void) {
    vt_diags d = {0};
    vt_isf *isf = parse(ALL_TYPES, &d);
    char buf[512];
    VT_CHECK_STR(first_diag(&d, buf, sizeof buf), "(none)");
    VT_CHECK(isf != NULL);
    if (!isf) {
        return;
    }
    VT_CHECK_INT(isf->isf_version, 2);
    VT_CHECK_STR(isf->description, "all types");
    VT_CHECK_INT(isf->n_categories, 2);
    VT_CHECK(!isf->transition);
    VT_CHECK(!isf->shadertoy);
    VT_CHECK_INT(isf->n_inputs, 7);
    const vt_isf_input *in = vt_isf_find_input(isf, "speed");
    VT_CHECK(in && in->type == VT_ISF_FLOAT && in->def[0] == 0.5 && in->has_min &&
             in->max[0] == 2 && in->has_identity && in->identity[0] == 1);
    VT_CHECK(in && in->line == 5);
    VT_CHECK_STR(in ? in->label : NULL, "Speed");
    in = vt_isf_find_input(isf, "on");
    VT_CHECK(in && in->type == VT_ISF_BOOL && in->def[0] == 1);
    in = vt_isf_find_input(isf, "mode");
    VT_CHECK(in && in->type == VT_ISF_LONG && in->n_values == 3 && in->values[2] == 2 &&
             in->def[0] == 2);
    VT_CHECK_STR(in ? in->labels[1] : NULL, "b");
    in = vt_isf_find_input(isf, "tint");
    VT_CHECK(in && in->type == VT_ISF_COLOR && in->def[0] == 1 && in->def[1] == 0.5 &&
             in->def[3] == 1);
    in = vt_isf_find_input(isf, "origin");
    VT_CHECK(in && in->type == VT_ISF_POINT2D && in->def[0] == 0.25 && in->def[1] == 0.75 &&
             in->has_max && in->max[1] == 1);
    in = vt_isf_find_input(isf, "inputImage");
    VT_CHECK(in && in->type == VT_ISF_IMAGE);
    in = vt_isf_find_input(isf, "flash");
    VT_CHECK(in && in->type == VT_ISF_EVENT);
    VT_CHECK(vt_isf_find_input(isf, "nothing") == NULL);
    VT_CHECK_INT(isf->n_passes, 3);
    VT_CHECK_STR(isf->passes[0].target, "small");
    VT_CHECK_STR(isf->passes[0].width_expr, "floor($WIDTH / 4.0)");
    VT_CHECK(!isf->passes[0].persistent);
    VT_CHECK(isf->passes[1].persistent && isf->passes[1].is_float);
    VT_CHECK(isf->passes[2].target == NULL);
    VT_CHECK_INT(isf->n_imported, 1);
    VT_CHECK_STR(isf->imported[0].path, "noise.png");
    /* TIME in the code animates, FRAMEINDEX in a comment does not; the buffer is feedback */
    VT_CHECK_INT(isf->uses, VT_ISF_USES_TIME | VT_ISF_USES_FEEDBACK);
    /* the header is blanked, lines kept */
    VT_CHECK(strstr(isf->glsl, "ISFVSN") == NULL);
    int lines = 0;
    for (const char *p = isf->glsl; *p; p++) {
        lines += *p == '\n';
    }
    VT_CHECK_INT(lines, 26);
    VT_CHECK(strstr(isf->glsl, "\n\nvoid main()") != NULL);
    vt_isf_free(isf);
    vt_diags_free(&d);
}

static double speed_value = 0.5;
static bool lookup_speed(void *user, const char *name, size_t len, double *out) {
    (void)user;
    if (len == 5 && strncmp(name, "speed", 5) == 0) {
        *out = speed_value;
        return true;
    }
    return false;
}

static void test_pass_sizes(void) {
    vt_diags d = {0};
    vt_isf *isf = parse(ALL_TYPES, &d);
    if (!isf) {
        VT_CHECK(isf != NULL);
        return;
    }
    int w = 0, h = 0;
    vt_isf_pass_size(isf, 0, 1001, 600, lookup_speed, NULL, &w, &h);
    VT_CHECK_INT(w, 250);
    VT_CHECK_INT(h, 300);
    speed_value = 0; /* zero pixels is clamped to one */
    vt_isf_pass_size(isf, 0, 1001, 600, lookup_speed, NULL, &w, &h);
    VT_CHECK_INT(h, 1);
    speed_value = 1e9; /* clamped to the largest size */
    vt_isf_pass_size(isf, 0, 1001, 600, lookup_speed, NULL, &w, &h);
    VT_CHECK_INT(h, VT_ISF_MAX_SIZE);
    vt_isf_pass_size(isf, 1, 640, 360, lookup_speed, NULL, &w, &h);
    VT_CHECK(w == 640 && h == 360);
    vt_isf_free(isf);
    vt_diags_free(&d);
}

static bool lookup_wh(void *user, const char *name, size_t len, double *out) {
    (void)user;
    if (len == 5 && strncmp(name, "WIDTH", 5) == 0) {
        *out = 1920;
        return true;
    }
    if (len == 6 && strncmp(name, "HEIGHT", 6) == 0) {
        *out = 1080;
        return true;
    }
    return false;
}

static void test_expressions(void) {
    static const struct {
        const char *e;
        double want;
    } ok[] = {
        {"$WIDTH", 1920},
        {"$WIDTH/2", 960},
        {"  ( $WIDTH + $HEIGHT ) * 0.5 ", 1500},
        {"floor($WIDTH/7.0)", 274},
        {"ceil($WIDTH/7.0)", 275},
        {"max($WIDTH, $HEIGHT) - min($WIDTH, $HEIGHT)", 840},
        {"pow(2.0, 10.0)", 1024},
        {"abs(-3) + sqrt(16)", 7},
        {"-$HEIGHT + +2", -1078},
        {"2 + 3 * 4", 14},
        {"(2 + 3) * 4", 20},
        {"10 % 4", 2},
        {"$WIDTH > $HEIGHT ? 1 : 2", 1},
        {"$WIDTH < 100 || $HEIGHT == 1080", 1},
        {"clamp($WIDTH, 0, 512)", 512},
        {"1e2", 100},
        {"round(2.5) + trunc(-1.5)", 2},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -12345;
        char why[160] = "";
        bool good = vt_isf_expr_eval(ok[i].e, lookup_wh, NULL, &v, why, sizeof why);
        if (!good) {
            fprintf(stderr, "expression %s: %s\n", ok[i].e, why);
        }
        VT_CHECK(good);
        VT_CHECK_NEAR(v, ok[i].want, 1e-9);
    }
    static const struct {
        const char *e, *why;
    } bad[] = {
        {"$DEPTH", "unknown variable (use $WIDTH, $HEIGHT or $ and an input's name) at column 1"},
        {"$WIDTH +", "unexpected end of the expression at column 9"},
        {"foo(1)", "unknown function (floor, ceil, round, abs, min, max, pow... are known) at "
                   "column 4"},
        {"(1 + 2", "expected ')' at column 7"},
        {"1 2", "unexpected text after the expression at column 3"},
        {"max(1)", "expected ',' between a function's arguments at column 6"},
        {"", "unexpected end of the expression at column 1"},
        {"1 ? 2", "expected ':' in a ?: expression at column 6"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 0;
        char why[160] = "";
        VT_CHECK(!vt_isf_expr_eval(bad[i].e, lookup_wh, NULL, &v, why, sizeof why));
        VT_CHECK_STR(why, bad[i].why);
    }
    /* deep nesting is refused, not a stack overflow */
    char deep[4096];
    memset(deep, '(', sizeof deep - 1);
    deep[sizeof deep - 1] = '\0';
    double v = 0;
    char why[160] = "";
    VT_CHECK(!vt_isf_expr_eval(deep, lookup_wh, NULL, &v, why, sizeof why));
    VT_CHECK(strstr(why, "nested too deeply") != NULL);
    memset(deep, '-', sizeof deep - 1);
    VT_CHECK(!vt_isf_expr_eval(deep, lookup_wh, NULL, &v, why, sizeof why));
}

/* ISF v1: no ISFVSN, PERSISTENT_BUFFERS, IMPORTED as an array. */
static void test_v1(void) {
    const char *src = "/*{\n"
                      " \"INPUTS\": [],\n"
                      " \"PERSISTENT_BUFFERS\": [\"feedback\"],\n"
                      " \"PASSES\": [{\"TARGET\": \"feedback\"}, {}],\n"
                      " \"IMPORTED\": [{\"NAME\": \"logo\", \"PATH\": \"logo.png\"}]\n"
                      "}*/\n"
                      "void main(){gl_FragColor = IMG_THIS_PIXEL(feedback);}\n";
    vt_diags d = {0};
    vt_isf *isf = parse(src, &d);
    VT_CHECK(isf != NULL);
    if (isf) {
        VT_CHECK_INT(isf->isf_version, 1);
        VT_CHECK(isf->passes[0].persistent);
        VT_CHECK(!isf->passes[1].persistent);
        VT_CHECK_STR(isf->imported[0].name, "logo");
        VT_CHECK_INT(isf->uses, VT_ISF_USES_FEEDBACK);
    }
    vt_isf_free(isf);
    vt_diags_free(&d);
}

/* A file with no PASSES has one pass, drawn into the layer; no INPUTS is none. */
static void test_minimal_and_legacy(void) {
    const char *src = "// a line comment before the header\n"
                      "/*{}*/\n"
                      "#version 120\n"
                      "varying vec2 uv;\n"
                      "void main(){gl_FragColor = vec4(1.0);}\n";
    vt_diags d = {0};
    vt_isf *isf = parse(src, &d);
    VT_CHECK(isf != NULL);
    if (isf) {
        VT_CHECK_INT(isf->n_passes, 1);
        VT_CHECK(isf->passes[0].target == NULL);
        VT_CHECK_INT(isf->n_inputs, 0);
        VT_CHECK_STR(isf->version, "120");
        VT_CHECK(strstr(isf->glsl, "#version") == NULL);
        VT_CHECK(strstr(isf->glsl, "\n            \nvarying") != NULL);
        VT_CHECK_INT(isf->uses, 0);
    }
    vt_isf_free(isf);
    vt_diags_free(&d);
}

static void test_shadertoy(void) {
    const char *src = "#version 330 core // modern\n"
                      "void mainImage(out vec4 c, in vec2 p) {\n"
                      "    c = vec4(p / iResolution.xy, 0.5 + 0.5 * sin(iTime), iMouse.x);\n"
                      "    c += texture(iChannel1, p);\n"
                      "}\n";
    vt_diags d = {0};
    vt_isf *isf = parse(src, &d);
    VT_CHECK(isf != NULL);
    if (isf) {
        VT_CHECK(isf->shadertoy);
        VT_CHECK(!isf->has_header);
        VT_CHECK_STR(isf->version, "330 core");
        VT_CHECK_INT(isf->uses, VT_ISF_USES_TIME | VT_ISF_USES_POINTER);
        VT_CHECK_INT(isf->n_inputs, 1);
        VT_CHECK(isf->n_inputs == 1 && isf->inputs[0].type == VT_ISF_IMAGE);
        VT_CHECK_STR(isf->n_inputs ? isf->inputs[0].name : NULL, "iChannel1");
    }
    vt_isf_free(isf);
    vt_diags_free(&d);
    /* a transition with what it needs, reading the date and the frame */
    const char *tr = "/*{\"CATEGORIES\": [\"transition\"], \"INPUTS\": [\n"
                     " {\"NAME\": \"startImage\", \"TYPE\": \"image\"},\n"
                     " {\"NAME\": \"endImage\", \"TYPE\": \"image\"},\n"
                     " {\"NAME\": \"progress\", \"TYPE\": \"float\"}]}*/\n"
                     "void main(){gl_FragColor = vec4(DATE.w + float(FRAMEINDEX));}\n";
    isf = parse(tr, &d);
    VT_CHECK(isf && isf->transition);
    VT_CHECK(isf && isf->uses == (VT_ISF_USES_DATE | VT_ISF_USES_FRAME));
    vt_isf_free(isf);
    vt_diags_free(&d);
}

/* Bad headers: every error positioned in the file, with how to fix it. */
static void test_errors(void) {
    static const struct {
        const char *src, *want;
    } cases[] = {
        {"/*{\n  \"INPUTS\": [\n    {\"NAME\": \"a\" \"TYPE\": \"float\"}\n  ]\n}*/\nvoid main(){}",
         "3:18: the ISF header is not valid JSON: '}' expected near '\"TYPE\"'"},
        {"/*{\"A\": 1,}*/\nvoid main(){}",
         "1:11: the ISF header is not valid JSON: string or '}' expected near '}'"},
        {"  /*{ \"INPUTS\": [] \nvoid main(){}",
         "1:3: the ISF header comment is not closed; end it with */"},
        {"/*[1, 2]*/ void main(){}", "1:1: no ISF header: an ISF shader opens with a JSON "
                                     "comment such as /*{ \"ISFVSN\": \"2\", \"INPUTS\": [] }*/ "
                                     "(a Shadertoy-style shader defines void mainImage(out "
                                     "vec4, in vec2) instead)"},
        {"/*{\"INPUTS\": [\n {\"NAME\": \"speed\", \"TYPE\": \"flaot\"}]}*/\nvoid main(){}",
         "2:11: input 'speed': TYPE 'flaot' is not an ISF type (did you mean 'float'?)"},
        {"/*{\"INPUTS\": [\n {\"NAME\": \"x\", \"TYPE\": \"point2D\", \"DEFAULT\": 3}]}*/\n"
         "void main(){}",
         "2:11: input 'x' (point2D): DEFAULT must be an array of 2 numbers [x, y]"},
        {"/*{\"INPUTS\": [\n {\"NAME\": \"c\", \"TYPE\": \"color\", \"MAX\": [1, 2]}]}*/\n"
         "void main(){}",
         "2:11: input 'c' (color): MAX must be an array of 4 numbers [r, g, b, a] from 0 to 1"},
        {"/*{\"INPUTS\": [\n {\"NAME\": \"a\", \"TYPE\": \"float\"},\n"
         " {\"NAME\": \"a\", \"TYPE\": \"bool\"}]}*/\nvoid main(){}",
         "3:11: input 'a' is declared twice; rename one of them"},
        {"/*{\"INPUTS\": [{\"NAME\": \"2d\", \"TYPE\": \"float\"}]}*/\nvoid main(){}",
         "1:24: INPUTS[0]: NAME must be a GLSL name (letters, digits, _), got 2d"},
        {"/*{\"INPUTS\": [\n {\"NAME\": \"snd\", \"TYPE\": \"audioFFT\"}]}*/\nvoid main(){}",
         "2:11: input 'snd' is of type audioFFT: Vitrine does not feed sound to shaders; remove "
         "the input or use a shader without audio"},
        {"/*{\"PASSES\": [\n {\"TARGET\": \"b\",\n  \"WIDTH\": \"$WIDTH / $scale\"}]}*/\n"
         "void main(){}",
         "3:12: PASSES[0]: WIDTH \"$WIDTH / $scale\": unknown variable (use $WIDTH, $HEIGHT or "
         "$ and an input's name) at column 10"},
        {"/*{\"PASSES\": [{\"TARGET\": \"b\", \"HEIGHT\": [1]}]}*/\nvoid main(){}",
         "1:26: PASSES[0]: HEIGHT must be a number or an expression such as \"$WIDTH/2\""},
        {"/*{\"INPUTS\": [\n {\"NAME\": \"m\", \"TYPE\": \"long\", \"VALUES\": [1, 2],"
         " \"LABELS\": [\"one\"]}]}*/\nvoid main(){}",
         "2:11: input 'm': LABELS must be an array of 2 strings, one per VALUES entry"},
        {"/*{\"CATEGORIES\": [\"Transition\"], \"INPUTS\": [\n"
         " {\"NAME\": \"startImage\", \"TYPE\": \"image\"},\n"
         " {\"NAME\": \"progress\", \"TYPE\": \"float\"}]}*/\nvoid main(){}",
         "1:4: a Transition needs an input 'endImage' of type image; add it to INPUTS"},
        {"/*{}*/\nvoid mane(){}",
         "0:0: the shader defines neither void main() nor void mainImage(out vec4 fragColor, in "
         "vec2 fragCoord)"},
        {"/*{\"IMPORTED\": {\"tex\": {\"PTH\": \"a.png\"}}}*/\nvoid main(){}",
         "1:17: IMPORTED image 'tex' has no PATH; give the image file's path"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vt_diags d = {0};
        vt_isf *isf = parse(cases[i].src, &d);
        char buf[512];
        VT_CHECK(isf == NULL);
        VT_CHECK_STR(first_diag(&d, buf, sizeof buf), cases[i].want);
        VT_CHECK_STR(d.count ? d.items[0].path : NULL, "t.fs");
        vt_isf_free(isf);
        vt_diags_free(&d);
    }
    /* a NUL byte is refused */
    vt_diags d = {0};
    vt_isf *isf = NULL;
    VT_CHECK_INT(vt_isf_parse("/*{}*/\0void main(){}", 20, "t.fs", &isf, &d), VT_E_DATAERR);
    VT_CHECK(isf == NULL && d.errors == 1);
    vt_diags_free(&d);
}

/* The shipped test shaders all parse. */
static void test_files(void) {
    static const char *const files[] = {
        "shaders/gradient.fs", "shaders/feedback.fs", "shaders/invert.fs", "shaders/all-inputs.fs",
        "shaders/legacy.fs",   "shaders/modern.fs",   "shaders/toy.fs"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        vt_diags d = {0};
        vt_isf *isf = NULL;
        vt_status st = vt_isf_load(files[i], NULL, &isf, &d);
        if (st != VT_OK) {
            fprintf(stderr, "%s:\n", files[i]);
            vt_diags_print(&d, stderr);
        }
        VT_CHECK_INT(st, VT_OK);
        vt_isf_free(isf);
        vt_diags_free(&d);
    }
}

int main(void) {
    test_all_types();
    test_pass_sizes();
    test_expressions();
    test_v1();
    test_minimal_and_legacy();
    test_shadertoy();
    test_errors();
    test_files();
    return vt_test_finish("test_isf");
}
