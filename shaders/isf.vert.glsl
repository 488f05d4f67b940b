// The vertex stage of every ISF pass (after the #version line of its fragment stage): one quad
// over the pass's buffer, isf_FragNormCoord from (0, 0) bottom-left to (1, 1) top-right.
#if __VERSION__ >= 130
in vec2 a_unit;
out vec2 isf_FragNormCoord;
#else
attribute vec2 a_unit;
varying vec2 isf_FragNormCoord;
#endif
void main() {
    isf_FragNormCoord = a_unit;
    gl_Position = vec4(a_unit * 2.0 - 1.0, 0.0, 1.0);
}
