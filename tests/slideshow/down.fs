/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Test transition for test_slideshow: the end shows from the top down",
    "CATEGORIES": ["Transition"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float"},
        {"NAME": "edge", "TYPE": "float", "DEFAULT": 0.0}
    ]
}*/
void main() {
    bool end = isf_FragNormCoord.y > 1.0 - progress - edge;
    gl_FragColor = end ? IMG_THIS_NORM_PIXEL(endImage) : IMG_THIS_NORM_PIXEL(startImage);
}
