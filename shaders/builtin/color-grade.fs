/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Colour grade of the image beneath: exposure, contrast, saturation, gamma and a tint",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Color Adjustment"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "exposure", "LABEL": "Exposure (stops)", "TYPE": "float", "DEFAULT": 0.0, "MIN": -4.0, "MAX": 4.0, "IDENTITY": 0.0},
        {"NAME": "contrast", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 2.0, "IDENTITY": 1.0},
        {"NAME": "saturation", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 2.0, "IDENTITY": 1.0},
        {"NAME": "gamma", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.2, "MAX": 5.0, "IDENTITY": 1.0},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 1.0, 1.0, 1.0]}
    ]
}*/

void main() {
    vec4 c = IMG_THIS_NORM_PIXEL(inputImage);
    vec3 rgb = c.rgb * exp2(exposure);
    rgb = (rgb - 0.5) * contrast + 0.5;
    float luma = dot(rgb, vec3(0.2126, 0.7152, 0.0722));
    rgb = mix(vec3(luma), rgb, saturation);
    rgb = pow(max(rgb, 0.0), vec3(1.0 / gamma));
    gl_FragColor = vec4(clamp(rgb * tint.rgb, 0.0, 1.0), c.a);
}
