/*{
    "ISFVSN": "2",
    "DESCRIPTION": "An ISF file with its own vertex shader (mirror.vs) for the tests: red falls from left to right",
    "CREDIT": "Vitrine tests (CC0)",
    "INPUTS": []
}*/

varying vec2 mirrored;

void main() {
    gl_FragColor = vec4(mirrored.x, 0.0, 0.0, 1.0);
}
