// The vertex stage of an ISF file that has its own .vs: put before its code (after the #version
// line of its fragment stage), with the same uniforms as the fragment stage. Its main() calls
// isf_vertShaderInit(), which places the pass's quad and sets isf_FragNormCoord.
#if defined(VT_ISF_CORE)
#define varying out
#define texture2D texture
#endif
#if __VERSION__ >= 130
in vec2 a_unit;
out vec2 isf_FragNormCoord;
#else
attribute vec2 a_unit;
varying vec2 isf_FragNormCoord;
#endif
#define vv_FragNormCoord isf_FragNormCoord // ISF v1's name
uniform int PASSINDEX;
uniform vec2 RENDERSIZE;
uniform float TIME;
uniform float TIMEDELTA;
uniform int FRAMEINDEX;
uniform vec4 DATE;
#define IMG_PIXEL(s, sz, c) texture2D(s, (c) / (sz))
#define IMG_NORM_PIXEL(s, sz, c) texture2D(s, c)
#define IMG_SIZE(s, sz) (sz)
void isf_vertShaderInit() {
    isf_FragNormCoord = a_unit;
    gl_Position = vec4(a_unit * 2.0 - 1.0, 0.0, 1.0);
}
#define vv_vertShaderInit isf_vertShaderInit
