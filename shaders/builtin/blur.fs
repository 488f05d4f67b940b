/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Gaussian blur of the image beneath (or any image input), in two passes",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Blur"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "radius", "LABEL": "Radius (pixels)", "TYPE": "float", "DEFAULT": 8.0, "MIN": 0.0, "MAX": 64.0, "IDENTITY": 0.0}
    ],
    "PASSES": [
        {"TARGET": "across"},
        {}
    ]
}*/

/* 17 taps spread over the radius, weighted by a Gaussian; colours are averaged premultiplied
 * so that transparent pixels do not darken the edges. */
void main() {
    vec2 dir = PASSINDEX == 0 ? vec2(1.0, 0.0) : vec2(0.0, 1.0);
    float sigma = max(radius * 0.5, 0.001);
    vec4 sum = vec4(0.0);
    float total = 0.0;
    for (int i = -8; i <= 8; i++) {
        float x = float(i) * radius / 8.0;
        float w = exp(-0.5 * x * x / (sigma * sigma));
        vec2 at = isf_FragNormCoord + dir * x / RENDERSIZE;
        vec4 c = PASSINDEX == 0 ? IMG_NORM_PIXEL(inputImage, at) : IMG_NORM_PIXEL(across, at);
        sum += vec4(c.rgb * c.a, c.a) * w;
        total += w;
    }
    sum /= total;
    gl_FragColor = sum.a > 0.0 ? vec4(sum.rgb / sum.a, sum.a) : vec4(0.0);
}
