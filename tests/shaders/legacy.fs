/*{
    "DESCRIPTION": "Legacy GLSL for the tests (ISF v1, #version 120): texture2D, vv_FragNormCoord, gl_FragColor",
    "CREDIT": "Vitrine tests (CC0)",
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"}
    ],
    "PERSISTENT_BUFFERS": ["unused"]
}*/
#version 120

void main() {
    vec2 uv = vv_FragNormCoord; // ISF v1's name
    vec4 below = texture2D(inputImage, uv);
    gl_FragColor = vec4(below.g, below.b, below.r, below.a);
}
