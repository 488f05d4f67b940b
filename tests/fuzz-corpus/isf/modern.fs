/*{
    "ISFVSN": "2",
    "DESCRIPTION": "GLSL 330 for the tests: texture(), a vertical ramp in green",
    "CREDIT": "Vitrine tests (CC0)",
    "INPUTS": []
}*/
#version 330

void main() {
    vec2 uv = isf_FragNormCoord;
    gl_FragColor = vec4(0.0, uv.y, 0.25, 1.0);
}
