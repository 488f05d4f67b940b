#version 330 core
// u_color arrives premultiplied with the layer's opacity folded in; texels are premultiplied
// too, so the product is the premultiplied output the blend functions expect. A shader layer's
// picture is straight alpha (ISF): u_straight premultiplies it first.
uniform vec4 u_color;
uniform int u_textured;
uniform int u_straight;
uniform sampler2D u_tex;
in vec2 v_uv;
out vec4 frag;
void main() {
    vec4 c = u_color;
    if (u_textured != 0) {
        vec4 t = texture(u_tex, v_uv);
        if (u_straight != 0) {
            t.rgb *= t.a;
        }
        c *= t;
    }
    frag = c;
}
