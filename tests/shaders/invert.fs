/*{
    "ISFVSN": "2",
    "DESCRIPTION": "A filter for the tests: inverts what lies below, keeps its alpha",
    "CREDIT": "Vitrine tests (CC0)",
    "CATEGORIES": ["Color Effect"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0, "IDENTITY": 0.0}
    ]
}*/

void main() {
    vec4 c = IMG_THIS_NORM_PIXEL(inputImage);
    gl_FragColor = vec4(mix(c.rgb, 1.0 - c.rgb, amount), c.a);
}
