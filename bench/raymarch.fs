/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Benchmark: a ray-marched scene (a torus knot of spheres over a floor, soft shadows, 80 steps), the kind of heavy generator artists bring",
    "CREDIT": "Vitrine benchmarks (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 4.0}
    ]
}*/

float scene(vec3 p) {
    float t = TIME * speed;
    float d = p.y + 1.0; /* the floor */
    for (int i = 0; i < 6; i++) {
        float a = float(i) * 1.0472 + t;
        vec3 c = vec3(cos(a) * 1.2, sin(a * 2.0) * 0.3, sin(a) * 1.2 + 4.0);
        d = min(d, length(p - c) - 0.35);
    }
    vec2 q = vec2(length(p.xz - vec2(0.0, 4.0)) - 1.2, p.y);
    return min(d, length(q) - 0.12);
}

vec3 normal_at(vec3 p) {
    vec2 e = vec2(0.001, 0.0);
    return normalize(vec3(scene(p + e.xyy) - scene(p - e.xyy), scene(p + e.yxy) - scene(p - e.yxy),
                          scene(p + e.yyx) - scene(p - e.yyx)));
}

float shadow(vec3 p, vec3 l) {
    float k = 1.0, t = 0.05;
    for (int i = 0; i < 24; i++) {
        float h = scene(p + l * t);
        k = min(k, 8.0 * h / t);
        t += clamp(h, 0.02, 0.5);
        if (h < 0.001 || t > 8.0) break;
    }
    return clamp(k, 0.0, 1.0);
}

void main() {
    vec2 uv = (gl_FragCoord.xy - 0.5 * RENDERSIZE) / RENDERSIZE.y;
    vec3 ro = vec3(0.0, 0.6, 0.0), rd = normalize(vec3(uv, 1.2));
    float t = 0.0;
    bool hit = false;
    for (int i = 0; i < 80; i++) {
        float d = scene(ro + rd * t);
        if (d < 0.001) { hit = true; break; }
        t += d;
        if (t > 20.0) break;
    }
    vec3 sky = mix(vec3(0.55, 0.7, 0.9), vec3(0.1, 0.15, 0.3), uv.y + 0.5);
    vec3 col = sky;
    if (hit) {
        vec3 p = ro + rd * t, n = normal_at(p), l = normalize(vec3(0.6, 0.8, -0.4));
        float diff = max(dot(n, l), 0.0) * shadow(p, l);
        vec3 base = p.y < -0.99 ? vec3(0.35 + 0.15 * mod(floor(p.x) + floor(p.z), 2.0)) : vec3(0.9, 0.5, 0.3);
        col = base * (0.15 + 0.85 * diff);
        col = mix(col, sky, 1.0 - exp(-0.02 * t * t));
    }
    gl_FragColor = vec4(pow(col, vec3(0.4545)), 1.0);
}
