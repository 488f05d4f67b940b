/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Every input type for the tests: each quarter of the picture shows some of them",
    "CREDIT": "Vitrine tests (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "level", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "on", "TYPE": "bool", "DEFAULT": false},
        {"NAME": "mode", "TYPE": "long", "VALUES": [0, 1, 2], "LABELS": ["red", "green", "blue"], "DEFAULT": 0},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [0.0, 0.0, 1.0, 1.0]},
        {"NAME": "center", "TYPE": "point2D", "DEFAULT": [0.0, 0.0], "MIN": [0.0, 0.0], "MAX": [1.0, 1.0]},
        {"NAME": "picture", "TYPE": "image"},
        {"NAME": "flash", "TYPE": "event"}
    ]
}*/

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 px = gl_FragCoord.xy;
    vec4 c;
    if (uv.x < 0.5 && uv.y >= 0.5) {        /* top left: level as grey, white when on */
        c = on ? vec4(1.0) : vec4(vec3(level), 1.0);
    } else if (uv.x >= 0.5 && uv.y >= 0.5) { /* top right: mode picks a channel */
        c = vec4(mode == 0 ? 1.0 : 0.0, mode == 1 ? 1.0 : 0.0, mode == 2 ? 1.0 : 0.0, 1.0);
    } else if (uv.x < 0.5) {                 /* bottom left: tint, white on an event */
        c = flash ? vec4(1.0) : tint;
    } else {                                 /* bottom right: the picture, a dot at center */
        c = IMG_NORM_PIXEL(picture, vec2((uv.x - 0.5) * 2.0, uv.y * 2.0));
        if (distance(px, center * RENDERSIZE) < 3.0) {
            c = vec4(1.0, 1.0, 0.0, 1.0);
        }
    }
    gl_FragColor = c;
}
