// A Shadertoy-style shader for the tests (CC0): no ISF header, mainImage, i-uniforms and a channel.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = vec4(uv.x, uv.y, 0.5 + 0.5 * sin(iTime), 1.0);
    fragColor.rgb = mix(fragColor.rgb, texture(iChannel0, uv).rgb, 0.5);
}
