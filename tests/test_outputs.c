/* Tests of projection outputs without GL: `outputs:` read from a config and a scene (one case
 * per refusal, positioned), the config's list replacing the scene's, the warp's geometry (the
 * corner pin's homography, the grid through its points), the inverse mapping used for touches,
 * and OBJ meshes read as hostile input. */
#include "config/vt_config.h"
#include "scene/vt_output.h"
#include "vt_test.h"
#include "diag_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH "outputs/t.yaml"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *where; /* "file:line:col" of the error (the config's when only line:col) */
    const char *says;  /* a part of its message */
} bad_case;

#define OUT1 "outputs:\n  - id: a\n    source: [0, 0, 100, 100]\n"

static const bad_case bad_cases[] = {
    {"not a list", "outputs: {id: a}\n", "1:10", "'outputs' must be a list of outputs"},
    {"no id", "outputs:\n  - source: [0, 0, 10, 10]\n", "2:5", "an output needs an 'id'"},
    {"no source", "outputs:\n  - id: a\n", "2:5", "an output needs a 'source'"},
    {"duplicate ids", OUT1 "  - id: a\n    source: [0, 0, 10, 10]\n", "4:9",
     "duplicate output id 'a' (first at line 2)"},
    {"bad display", OUT1 "    display: left\n", "4:14", "'display' must be"},
    {"display mapping without name", OUT1 "    display: {index: 1}\n", "4:14",
     "'display' as a mapping needs 'name'"},
    {"display out of range", OUT1 "    display: 99\n", "4:14", "'display'"},
    {"crossing corners", OUT1 "    warp: {corners: [[0, 0], [1, 1], [1, 0], [0, 1]]}\n", "4:21",
     "the corners cross"},
    {"collinear corners", OUT1 "    warp: {corners: [[0, 0], [0.5, 0], [1, 0], [0, 1]]}\n", "4:21",
     "on one line"},
    {"three corners", OUT1 "    warp: {corners: [[0, 0], [1, 0], [1, 1]]}\n", "4:21",
     "'corners' needs 4 points, got 3"},
    {"two warps", OUT1 "    warp: {corners: [], grid: {}}\n", "4:11",
     "'warp' must be a mapping with one of corners, grid or mesh"},
    {"grid not monotonic",
     OUT1 "    warp: {grid: {cols: 2, rows: 2, points: [[0, 0], [1, 0], [0, 1], [-0.1, 1]]}}\n",
     "4:70", "grid point 3 (row 1, column 1) is not to the right"},
    {"grid folds vertically",
     OUT1 "    warp: {grid: {cols: 2, rows: 2, points: [[0, 0], [1, 0.5], [0, 1], [1, 0.4]]}}\n",
     "4:72", "is not below the point above it"},
    {"grid count", OUT1 "    warp: {grid: {cols: 2, rows: 2, points: [[0, 0]]}}\n", "4:45",
     "'points' must list cols x rows = 4 points"},
    {"grid too fine", OUT1 "    warp: {grid: {cols: 99, rows: 2, points: []}}\n", "4:25", "'cols'"},
    {"mesh without uv", OUT1 "    warp: {mesh: no-uv.obj}\n", "outputs/no-uv.obj:4:3",
     "face vertex '1' has no texture coordinate"},
    {"mesh missing", OUT1 "    warp: {mesh: nothing.obj}\n", "4:18",
     "mesh file 'nothing.obj' not found"},
    {"mesh outside the folder", OUT1 "    warp: {mesh: ../../etc/passwd}\n", "4:18",
     "leaves the scene's folder"},
    {"blend wider than the output", OUT1 "    edge_blend: {left: 60, right: 50}\n", "4:17",
     "the edge blend is wider than the output: left and right ramps of 110 px in an output 100 px "
     "wide"},
    {"blend wider than size", OUT1 "    size: [40, 30]\n    edge_blend: {top: 31}\n", "5:17",
     "output 30 px high"},
    {"gamma range", OUT1 "    edge_blend: {right: 10, gamma: 9}\n", "4:36", "'gamma'"},
    {"black level range", OUT1 "    black_level: 0.9\n", "4:18", "'black_level'"},
    {"trim count", OUT1 "    trim: [1, 1]\n", "4:11", "'trim' needs 3 numbers, got 2"},
    {"unknown key", OUT1 "    edge_blnd: {}\n", "4:5", "did you mean 'edge_blend'?"},
    {"zero source", "outputs:\n  - id: a\n    source: [0, 0, 0, 10]\n", "3:13", "at least 1 px"},
};

static void test_bad_cases(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *b = &bad_cases[i];
        vt_config cfg;
        vt_diags d = {0};
        vt_status st = vt_config_load_string(b->yaml, strlen(b->yaml), PATH, &cfg, &d);
        char *text = diags_text(&d);
        char want[160];
        snprintf(want, sizeof want, "%s%s: error: ", strchr(b->where, '.') ? "" : PATH ":",
                 b->where);
        const char *at = strstr(text, want);
        const char *eol = at ? strchr(at, '\n') : NULL;
        const char *says = at ? strstr(at, b->says) : NULL;
        bool found = says && says < eol;
        if (!found || st != VT_E_DATAERR) {
            fprintf(stderr, "case '%s': expected '%s...%s' (65), got %d:\n%s", b->name, want,
                    b->says, st, text);
        }
        VT_CHECK(found && st == VT_E_DATAERR);
        free(text);
        vt_diags_free(&d);
        vt_config_free(&cfg);
    }
}

static const char good[] = "outputs:\n"
                           "  - id: left\n"
                           "    display: 0\n"
                           "    source: [0, 0, 2048, 1080]\n"
                           "    size: [1920, 1080]\n"
                           "    warp: {corners: [[0, 0], [1, 0], [1, 1], [0, 1]]}\n"
                           "    edge_blend: {right: 192, gamma: 2.2}\n"
                           "    black_level: 0.02\n"
                           "    trim: [1.0, 0.98, 0.95]\n"
                           "  - id: right\n"
                           "    display: {name: \"EPSON PJ\", index: 1}\n"
                           "    source: [1792, 0, 2048, 1080]\n"
                           "    edge_blend: {left: 192}\n"
                           "    warp: {mesh: wall.obj}\n";

static void test_good(void) {
    vt_config cfg;
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load_string(good, strlen(good), PATH, &cfg, &d), VT_OK);
    VT_CHECK_INT((long)cfg.outputs.count, 2);
    if (cfg.outputs.count == 2) {
        const vt_output *l = &cfg.outputs.items[0], *r = &cfg.outputs.items[1];
        VT_CHECK_STR(l->id, "left");
        VT_CHECK_INT(l->display, 0);
        VT_CHECK_INT(l->width, 1920);
        VT_CHECK_NEAR(l->blend[VT_EDGE_RIGHT], 192, 0);
        VT_CHECK_NEAR(l->gamma, 2.2, 1e-12);
        VT_CHECK_NEAR(l->black_level, 0.02, 1e-12);
        VT_CHECK_NEAR(l->trim[2], 0.95, 1e-12);
        VT_CHECK_STR(r->display_name, "EPSON PJ");
        VT_CHECK_INT(r->display, 1);
        VT_CHECK_INT(r->warp, VT_WARP_MESH);
        VT_CHECK_INT((long)r->vertex_count, 6);
        VT_CHECK_NEAR(r->gamma, 2.2, 1e-12); /* the default */
        int w, h;
        vt_output_size(r, &w, &h); /* no size: the source's */
        VT_CHECK_INT(w, 2048);
        VT_CHECK_INT(h, 1080);
        /* The canvas is drawn at the densest output's resolution: left has 1920 px for 2048. */
        int tw, th;
        vt_outputs_canvas_target(&cfg.outputs, 3840, 1080, &tw, &th);
        VT_CHECK_INT(tw, 3840);
        VT_CHECK_INT(th, 1080);
        vt_output dense = *l;
        dense.width = 4096;
        dense.height = 2160;
        vt_outputs two = {&dense, 1, 0, 0};
        vt_outputs_canvas_target(&two, 3840, 1080, &tw, &th);
        VT_CHECK_INT(tw, 7680);
        VT_CHECK_INT(th, 2160);
    }
    vt_diags d2 = {0};
    /* A source past the canvas's right edge: at the source, with the fix. */
    vt_outputs_check_canvas(&cfg.outputs, PATH, 3000, 1080, &d2);
    char *text = diags_text(&d2);
    VT_CHECK(strstr(text, PATH ":12:13: error: output 'right' shows [1792, 0, 2048, 1080], which "
                               "is not inside the 3000x1080 canvas") != NULL);
    free(text);
    vt_diags_free(&d2);
    vt_diags_free(&d);
    vt_config_free(&cfg);
}

/* The config's outputs replace the scene's as a whole; without them the scene's are used. */
static void test_settings(void) {
    const char *scene_yaml = "format: vitrine/1\ncanvas: {size: [400, 200]}\n"
                             "outputs:\n  - {id: a, source: [0, 0, 200, 200]}\n"
                             "  - {id: b, source: [200, 0, 200, 200]}\n";
    vt_scene *sc = NULL;
    vt_diags d = {0};
    VT_CHECK_INT(vt_scene_load_string(scene_yaml, strlen(scene_yaml), "outputs/s.yaml", 0, &sc, &d),
                 VT_OK);
    const char *cfg_yaml = "outputs:\n  - {id: only, source: [0, 0, 400, 200]}\n";
    vt_config cfg;
    VT_CHECK_INT(vt_config_load_string(cfg_yaml, strlen(cfg_yaml), "outputs/c.yaml", &cfg, &d),
                 VT_OK);
    if (sc) {
        vt_settings s = {0};
        vt_settings_resolve(&s, &cfg, sc);
        VT_CHECK(s.outputs == &cfg.outputs);
        VT_CHECK_INT((long)s.outputs->count, 1);
        VT_CHECK_STR(s.outputs_path, "outputs/c.yaml");
        vt_config empty = {0};
        vt_settings s2 = {0};
        vt_settings_resolve(&s2, &empty, sc);
        VT_CHECK(s2.outputs == &sc->outputs);
        VT_CHECK_INT((long)s2.outputs->count, 2);
        VT_CHECK_STR(s2.outputs_path, "outputs/s.yaml");
    }
    vt_scene_destroy(sc);
    vt_config_free(&cfg);
    /* In a scene, a source outside the canvas is an error when the scene is read. */
    const char *bad = "format: vitrine/1\ncanvas: {size: [400, 200]}\n"
                      "outputs:\n  - {id: a, source: [300, 0, 200, 200]}\n";
    VT_CHECK_INT(vt_scene_load_string(bad, strlen(bad), "outputs/s.yaml", 0, &sc, &d),
                 VT_E_DATAERR);
    char *text = diags_text(&d);
    VT_CHECK(strstr(text, "outputs/s.yaml:4:21: error: output 'a' shows [300, 0, 200, 200]") !=
             NULL);
    free(text);
    vt_diags_free(&d);
}

static void apply_h(const double h[9], double u, double v, double *x, double *y) {
    double w = h[6] * u + h[7] * v + h[8];
    *x = (h[0] * u + h[1] * v + h[2]) / w;
    *y = (h[3] * u + h[4] * v + h[5]) / w;
}

static void test_homography(void) {
    const double q[4][2] = {{0.1, 0.2}, {0.8, 0.1}, {0.9, 0.9}, {0.2, 0.7}};
    double h[9], x, y;
    VT_CHECK(vt_warp_homography(q, h));
    const double unit[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (int i = 0; i < 4; i++) {
        apply_h(h, unit[i][0], unit[i][1], &x, &y);
        VT_CHECK_NEAR(x, q[i][0], 1e-9);
        VT_CHECK_NEAR(y, q[i][1], 1e-9);
    }
    /* The right edge half the height of the left: twice as far away, so equal steps along the
     * receding edge land at x = 2u / (1 + u) (worked out by hand), not at x = u. */
    const double recede[4][2] = {{0, 0}, {1, 0.25}, {1, 0.75}, {0, 1}};
    VT_CHECK(vt_warp_homography(recede, h));
    for (double u = 0.25; u < 1; u += 0.25) {
        apply_h(h, u, 0.5, &x, &y);
        VT_CHECK_NEAR(x, 2 * u / (1 + u), 1e-9);
        VT_CHECK_NEAR(y, 0.5, 1e-9);
    }
    VT_CHECK(vt_warp_corners_problem(unit) == NULL);
    const double mirrored[4][2] = {{1, 0}, {0, 0}, {0, 1}, {1, 1}}; /* rear projection */
    VT_CHECK(vt_warp_corners_problem(mirrored) == NULL);
    const double bowtie[4][2] = {{0, 0}, {1, 1}, {1, 0}, {0, 1}};
    VT_CHECK(vt_warp_corners_problem(bowtie) != NULL);
    const double concave[4][2] = {{0, 0}, {1, 0}, {0.3, 0.3}, {0, 1}};
    VT_CHECK(vt_warp_corners_problem(concave) != NULL);
}

static void test_grid(void) {
    /* A 4x3 grid with bent interior points: the surface passes through every one. */
    double g[4 * 3 * 2];
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 4; i++) {
            g[(j * 4 + i) * 2] = i / 3.0 + (j == 1 ? 0.03 * i : 0);
            g[(j * 4 + i) * 2 + 1] = j / 2.0 + (i == 1 || i == 2 ? 0.05 : 0) * (j == 1);
        }
    }
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 4; i++) {
            double x, y;
            vt_warp_grid_eval(g, 4, 3, i, j, &x, &y);
            VT_CHECK_NEAR(x, g[(j * 4 + i) * 2], 1e-12);
            VT_CHECK_NEAR(y, g[(j * 4 + i) * 2 + 1], 1e-12);
        }
    }
    /* Smooth, not piecewise linear: between two bent points the curve leaves their chord. */
    double x0, y0, x1, y1, xm, ym;
    vt_warp_grid_eval(g, 4, 3, 0.5, 1, &x0, &y0);
    vt_warp_grid_eval(g, 4, 3, 0, 1, &x1, &y1);
    vt_warp_grid_eval(g, 4, 3, 1, 1, &xm, &ym);
    VT_CHECK(fabs(y0 - (y1 + ym) / 2) > 1e-3);
}

/* Output pixel -> canvas, the inverse of each warp: what touches on a warped wall hit. */
static void test_inverse(void) {
    vt_output o = {.source = {100, 50, 400, 200}, .width = 800, .height = 400};
    const double q[4][2] = {{0.1, 0.2}, {0.8, 0.1}, {0.9, 0.9}, {0.2, 0.7}};
    memcpy(o.corners, q, sizeof q);
    double h[9], cx, cy;
    VT_CHECK(vt_warp_homography(q, h));
    /* Forward by hand, back through the inverse. */
    const double uv[3][2] = {{0.5, 0.5}, {0.25, 0.75}, {0.9, 0.1}};
    for (int i = 0; i < 3; i++) {
        double x, y;
        apply_h(h, uv[i][0], uv[i][1], &x, &y);
        VT_CHECK(vt_output_to_canvas(&o, x * 800, y * 400, &cx, &cy));
        VT_CHECK_NEAR(cx, 100 + uv[i][0] * 400, 1e-6);
        VT_CHECK_NEAR(cy, 50 + uv[i][1] * 200, 1e-6);
    }
    VT_CHECK(!vt_output_to_canvas(&o, 2, 2, &cx, &cy)); /* outside the quad: nothing */
    /* A grid: its control points map back to their canvas points. */
    const char *yaml = "outputs:\n  - id: g\n    source: [0, 0, 300, 200]\n"
                       "    warp: {grid: {cols: 3, rows: 3, points: [[0, 0], [0.5, 0.05], [1, 0], "
                       "[0.05, 0.5], [0.55, 0.55], [0.95, 0.5], [0, 1], [0.5, 0.95], [1, 1]]}}\n";
    vt_config cfg;
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load_string(yaml, strlen(yaml), PATH, &cfg, &d), VT_OK);
    if (cfg.outputs.count == 1) {
        const vt_output *g = &cfg.outputs.items[0];
        VT_CHECK(vt_output_to_canvas(g, 0.55 * 300, 0.55 * 200, &cx, &cy));
        VT_CHECK_NEAR(cx, 150, 1e-3);
        VT_CHECK_NEAR(cy, 100, 1e-3);
        VT_CHECK(vt_output_to_canvas(g, 0.5 * 300, 0.05 * 200, &cx, &cy));
        VT_CHECK_NEAR(cx, 150, 1e-3);
        VT_CHECK_NEAR(cy, 0, 1e-3);
    }
    vt_config_free(&cfg);
    vt_diags_free(&d);
}

static void test_obj(void) {
    struct {
        const char *text, *says;
    } bad[] = {
        {"v 0 0\nvt 0 0\nf 1/1 1/1\n", "t.obj:3:1: error: a face needs at least 3 vertices"},
        {"v 0 0\nv 1 0\nv 1 1\nvt 0 0\nf 1/1 2/1 4/1\n",
         "t.obj:5:11: error: face vertex '4/1' refers to a vertex not defined before it"},
        {"v 0 0\nv 1 0\nv 1 1\nf 1//1 2//1 3//1\n",
         "t.obj:4:3: error: face vertex '1//1' has no texture coordinate"},
        {"v 0 nan\n", "t.obj:1:5: error: 'nan' is not a number"},
        {"v 0 1e400\n", "t.obj:1:5: error: '1e400' is not a number"},
        {"v 0 0\nvt 0 0\nf 1/1 1/1 0/1\n", "t.obj:3:11: error: face vertex '0/1' is not a valid"},
        {"f 1/1 2/2 3/3\n", "refers to a vertex not defined before it"},
        {"# nothing\n", "t.obj: error: the mesh has no faces"},
        {"v 0 0\nv\0 1 0\n", "t.obj:2:1: error: a NUL byte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vt_warp_vertex *t = NULL;
        size_t n = 0;
        vt_diags d = {0};
        size_t len = strlen(bad[i].text);
        if (strstr(bad[i].text, "v\n") == NULL && i == 8) {
            len = 13; /* holds a NUL */
        }
        VT_CHECK_INT(vt_obj_parse(bad[i].text, len, "t.obj", &t, &n, &d), VT_E_DATAERR);
        char *text = diags_text(&d);
        if (!strstr(text, bad[i].says)) {
            fprintf(stderr, "OBJ case %zu: expected '%s', got:\n%s", i, bad[i].says, text);
        }
        VT_CHECK(strstr(text, bad[i].says) != NULL);
        VT_CHECK(t == NULL);
        free(text);
        vt_diags_free(&d);
    }
    /* A long line, negative indices, a quad fanned into two triangles, v flipped to point down. */
    char *big = vt_xcalloc(6000, 1);
    memset(big, ' ', 5000);
    memcpy(big + 5000, "\n", 2);
    vt_warp_vertex *t = NULL;
    size_t n = 0;
    vt_diags d = {0};
    VT_CHECK_INT(vt_obj_parse(big, strlen(big), "t.obj", &t, &n, &d), VT_E_DATAERR);
    free(big);
    vt_diags_free(&d);
    const char *quad = "v 0 0\nv 1 0\nv 1 1\nv 0 1\nvt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\n"
                       "f -4/-4 -3/-3 -2/-2 -1/-1\n";
    VT_CHECK_INT(vt_obj_parse(quad, strlen(quad), "t.obj", &t, &n, &d), VT_OK);
    VT_CHECK_INT((long)n, 6);
    if (n == 6) {
        VT_CHECK_NEAR(t[0].y, 1.0, 0); /* OBJ's y up: the first vertex is the bottom-left */
        VT_CHECK_NEAR(t[0].v, 1.0, 0);
        VT_CHECK_NEAR(t[2].x, 1.0, 0);
        VT_CHECK_NEAR(t[2].y, 0.0, 0);
    }
    free(t);
    vt_diags_free(&d);
}

/* A calibration saved into the file: new values at the nodes' byte offsets, comments and
 * layout intact, the file read again gives the new values. */
static void test_save(void) {
    const char *text = "# The room: two projectors.   \n"
                       "outputs:\n"
                       "  - id: left            # the left wall\n"
                       "    source: [0, 0, 200, 100]\n"
                       "    warp: {corners: [[0, 0], [1, 0], [1, 1], [0, 1]]}  # pinned\n"
                       "    edge_blend: {right: 20, gamma: 2.2}\n"
                       "    black_level: 0.02 # measured in June\n"
                       "  - id: right # caf\xc3\xa9 side\n"
                       "    source: [180, 0, 200, 100]\n"
                       "    warp:\n"
                       "      grid:\n"
                       "        cols: 2\n"
                       "        rows: 2\n"
                       "        points: [[0, 0], [1, 0], [0, 1], [1, 1]]\n"
                       "    trim: [1, 1, 1]\n";
    char path[] = "/tmp/vt-outputs-XXXXXX";
    int fd = mkstemp(path);
    VT_CHECK(fd >= 0);
    VT_CHECK_INT((long)write(fd, text, strlen(text)), (long)strlen(text));
    close(fd);
    vt_config cfg;
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load(path, &cfg, &d), VT_OK);
    if (cfg.outputs.count == 2) {
        vt_output *l = &cfg.outputs.items[0], *r = &cfg.outputs.items[1];
        l->corners[1][0] = 0.97;
        l->corners[3][1] = 0.955;
        l->blend[VT_EDGE_RIGHT] = 24;
        l->black_level = 0.035;
        r->grid[4] = 0.02;
        r->trim[1] = 0.9;
        vt_error err = {0};
        VT_CHECK_INT(vt_outputs_save(path, &cfg.outputs, &err), VT_OK);
        char *saved = NULL;
        size_t len = 0;
        VT_CHECK_INT(vt_file_read(path, 1 << 20, &saved, &len, NULL), VT_OK);
        if (saved) {
            const char *kept[] = {"# The room: two projectors.   \n",
                                  "# the left wall\n",
                                  "  # pinned\n",
                                  " # measured in June\n",
                                  "  - id: right # caf\xc3\xa9 side\n",
                                  "      grid:\n",
                                  "warp: {corners: [[0, 0], [0.97, 0], [1, 1], [0, 0.955]]}"};
            for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
                VT_CHECK(strstr(saved, kept[i]) != NULL);
            }
            VT_CHECK(strstr(saved, "black_level: 0.035 # measured") != NULL);
            VT_CHECK(strstr(saved, "points: [[0, 0], [1, 0], [0.02, 1], [1, 1]]\n") != NULL);
        }
        free(saved);
        vt_config again;
        VT_CHECK_INT(vt_config_load(path, &again, &d), VT_OK);
        if (again.outputs.count == 2) {
            const vt_output *a = &again.outputs.items[0], *b = &again.outputs.items[1];
            VT_CHECK_NEAR(a->corners[1][0], 0.97, 1e-12);
            VT_CHECK_NEAR(a->corners[3][1], 0.955, 1e-12);
            VT_CHECK_NEAR(a->blend[VT_EDGE_RIGHT], 24, 0);
            VT_CHECK_NEAR(a->black_level, 0.035, 1e-12);
            VT_CHECK_NEAR(b->grid[4], 0.02, 1e-12);
            VT_CHECK_NEAR(b->trim[1], 0.9, 1e-12);
        }
        vt_config_free(&again);
    }
    vt_config_free(&cfg);
    vt_diags_free(&d);
    unlink(path);
}

/* A save adds what the file lacks: a corner pin to an output without `warp:`, a black level
 * and a trim, each a line at the output's indentation after its place (or a pair at the end of
 * a flow mapping, a line break first at the end of a file without one); a value left at its
 * default gets nothing, and every other byte stays. */
static void test_save_inserts(void) {
    const char *text = "# The room.\n"
                       "outputs:\n"
                       "  - id: left   # the left wall\n"
                       "    source: [0, 0, 200, 100]  # half\n"
                       "    edge_blend: {right: 20}\n"
                       "    # measured in June\n"
                       "  - {id: right, source: [180, 0, 200, 100]}\n"
                       "  - id: still\n"
                       "    source: [0, 0, 100, 100]";
    const char *want = "# The room.\n"
                       "outputs:\n"
                       "  - id: left   # the left wall\n"
                       "    source: [0, 0, 200, 100]  # half\n"
                       "    warp: {corners: [[0.1, 0], [1, 0], [1, 1], [0, 0.95]]}\n"
                       "    edge_blend: {right: 20}\n"
                       "    black_level: 0.025\n"
                       "    trim: [1, 0.9, 1]\n"
                       "    # measured in June\n"
                       "  - {id: right, source: [180, 0, 200, 100], warp: {corners: [[0, 0], [1, "
                       "0], [0.97, 1], [0, 1]]}, black_level: 0.01}\n"
                       "  - id: still\n"
                       "    source: [0, 0, 100, 100]\n"
                       "    black_level: 0.005\n";
    char path[] = "/tmp/vt-outputs-XXXXXX";
    int fd = mkstemp(path);
    VT_CHECK(fd >= 0);
    VT_CHECK_INT((long)write(fd, text, strlen(text)), (long)strlen(text));
    close(fd);
    vt_config cfg;
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load(path, &cfg, &d), VT_OK);
    VT_CHECK_INT((long)cfg.outputs.count, 3);
    if (cfg.outputs.count == 3) {
        vt_output *l = &cfg.outputs.items[0], *r = &cfg.outputs.items[1];
        l->corners[0][0] = 0.1;
        l->corners[3][1] = 0.95;
        l->black_level = 0.025;
        l->trim[1] = 0.9;
        r->corners[2][0] = 0.97;
        r->black_level = 0.01;
        cfg.outputs.items[2].black_level = 0.005;
        vt_error err = {0};
        VT_CHECK_INT(vt_outputs_save(path, &cfg.outputs, &err), VT_OK);
        char *saved = NULL;
        size_t len = 0;
        VT_CHECK_INT(vt_file_read(path, 1 << 20, &saved, &len, NULL), VT_OK);
        VT_CHECK_STR(saved ? saved : "", want);
        free(saved);
        vt_config again;
        VT_CHECK_INT(vt_config_load(path, &again, &d), VT_OK);
        if (again.outputs.count == 3) {
            VT_CHECK_NEAR(again.outputs.items[0].corners[0][0], 0.1, 1e-12);
            VT_CHECK_NEAR(again.outputs.items[0].black_level, 0.025, 1e-12);
            VT_CHECK_NEAR(again.outputs.items[1].corners[2][0], 0.97, 1e-12);
        }
        vt_config_free(&again);
    }
    vt_config_free(&cfg);
    vt_diags_free(&d);
    unlink(path);
}

int main(void) {
    test_bad_cases();
    test_good();
    test_settings();
    test_homography();
    test_grid();
    test_inverse();
    test_obj();
    test_save();
    test_save_inserts();
    return vt_test_finish("test_outputs");
}
