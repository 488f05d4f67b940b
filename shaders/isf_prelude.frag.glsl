// What the ISF specification gives every shader, put before its code by the engine (after the
// #version line it picks). Uniforms of each file's own inputs, buffers and imported images
// follow, then the file itself; IMG_* calls are rewritten to pass the image's size
// (IMG_PIXEL(img, c) -> IMG_PIXEL(img, _img_imgSize, c)), so no token pasting is needed.
#if defined(VT_ISF_CORE)
#define gl_FragColor vt_isf_FragColor
out vec4 vt_isf_FragColor;
#define texture2D texture
#define varying in
#endif
#if __VERSION__ >= 130
in vec2 isf_FragNormCoord;
#else
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
#define IMG_THIS_PIXEL(s, sz) texture2D(s, gl_FragCoord.xy / (sz))
#define IMG_THIS_NORM_PIXEL(s, sz) texture2D(s, isf_FragNormCoord)
#define IMG_SIZE(s, sz) (sz)
// Shadertoy-style code (a mainImage function) reads these.
uniform vec3 iResolution;
uniform float iTime;
uniform float iTimeDelta;
uniform int iFrame;
uniform vec4 iDate;
uniform vec4 iMouse;
uniform vec3 iChannelResolution[4];
#define iGlobalTime iTime
