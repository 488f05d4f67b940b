/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Multi-pass feedback for the tests: a quarter-size persistent buffer that fades in one step per frame, then a pass that shows it",
    "CREDIT": "Vitrine tests (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "step", "TYPE": "float", "DEFAULT": 0.125, "MIN": 0.0, "MAX": 1.0}
    ],
    "PASSES": [
        {"TARGET": "acc", "PERSISTENT": true, "FLOAT": true,
         "WIDTH": "floor($WIDTH / 4.0)", "HEIGHT": "max($HEIGHT / 4.0, 1.0)"},
        {}
    ]
}*/

void main() {
    if (PASSINDEX == 0) {
        vec4 prev = IMG_NORM_PIXEL(acc, isf_FragNormCoord);
        gl_FragColor = FRAMEINDEX == 0 ? vec4(0.0, 0.0, 0.0, 1.0)
                                       : vec4(min(prev.rgb + step, 1.0), 1.0);
    } else {
        vec4 v = IMG_NORM_PIXEL(acc, isf_FragNormCoord);
        gl_FragColor = vec4(v.r, isf_FragNormCoord.x, 1.0 - v.r, 1.0);
    }
}
