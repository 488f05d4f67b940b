/*{
    "ISFVSN": "2",
    "DESCRIPTION": "A generator for the tests: a horizontal ramp tinted by a colour, shifted by TIME",
    "CREDIT": "Vitrine tests (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 0.5, 0.0, 1.0]},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 4.0}
    ]
}*/

void main() {
    float x = fract(isf_FragNormCoord.x + TIME * speed);
    gl_FragColor = vec4(tint.rgb * x, 1.0);
}
