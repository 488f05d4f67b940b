/* FFmpeg for the video module, loaded when first needed (see ffmpeg_api.h). Include this instead
 * of FFmpeg's headers: it includes every header of FFmpeg the module uses, then turns each call
 * of an FFmpeg function into a call through the table vt_ffmpeg, filled by vt_ffmpeg_load(). A
 * call before a successful vt_ffmpeg_load() is a bug: every path into the module that reaches
 * FFmpeg (opening a film, its sound, a film writer) loads it first. */
#ifndef VT_VIDEO_FFMPEG_H
#define VT_VIDEO_FFMPEG_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "core/vt_core.h"

typedef struct vt_ffmpeg_api {
#define VT_AV_FN(LIB, NAME) __typeof__(NAME) *NAME;
#include "video/ffmpeg_api.h"
#undef VT_AV_FN
} vt_ffmpeg_api;

extern vt_ffmpeg_api vt_ffmpeg;

/* Loads FFmpeg's libraries (by their sonames, the versions the module was built against) and
 * finds every function, once for the process; later calls return the first one's result. The
 * error says which library or function is missing and what to install. Thread-safe: a call
 * while another thread loads waits for it. */
vt_status vt_ffmpeg_load(vt_error *err);
/* Test hook: loads libraries of these names instead (NULL: the real ones), before any load. */
void vt_ffmpeg_set_names_for_test(const char *const *names);

/* Every FFmpeg function the module calls, through the table (the names of ffmpeg_api.h); the
 * loader itself (ffmpeg.c) sees the real names. */
#ifndef VT_FFMPEG_LOADER
#define av_buffer_alloc (vt_ffmpeg.av_buffer_alloc)
#define av_buffer_ref (vt_ffmpeg.av_buffer_ref)
#define av_buffer_unref (vt_ffmpeg.av_buffer_unref)
#define av_channel_layout_copy (vt_ffmpeg.av_channel_layout_copy)
#define av_channel_layout_default (vt_ffmpeg.av_channel_layout_default)
#define av_dict_free (vt_ffmpeg.av_dict_free)
#define av_dict_get (vt_ffmpeg.av_dict_get)
#define av_dict_set (vt_ffmpeg.av_dict_set)
#define av_find_best_stream (vt_ffmpeg.av_find_best_stream)
#define av_frame_alloc (vt_ffmpeg.av_frame_alloc)
#define av_frame_copy_props (vt_ffmpeg.av_frame_copy_props)
#define av_frame_free (vt_ffmpeg.av_frame_free)
#define av_frame_get_buffer (vt_ffmpeg.av_frame_get_buffer)
#define av_frame_make_writable (vt_ffmpeg.av_frame_make_writable)
#define av_frame_move_ref (vt_ffmpeg.av_frame_move_ref)
#define av_frame_unref (vt_ffmpeg.av_frame_unref)
#define av_free (vt_ffmpeg.av_free)
#define av_freep (vt_ffmpeg.av_freep)
#define av_get_pix_fmt_name (vt_ffmpeg.av_get_pix_fmt_name)
#define av_hwdevice_ctx_create (vt_ffmpeg.av_hwdevice_ctx_create)
#define av_hwframe_transfer_data (vt_ffmpeg.av_hwframe_transfer_data)
#define av_interleaved_write_frame (vt_ffmpeg.av_interleaved_write_frame)
#define av_log_format_line (vt_ffmpeg.av_log_format_line)
#define av_log_set_callback (vt_ffmpeg.av_log_set_callback)
#define av_malloc (vt_ffmpeg.av_malloc)
#define av_opt_set (vt_ffmpeg.av_opt_set)
#define av_opt_set_int (vt_ffmpeg.av_opt_set_int)
#define av_packet_alloc (vt_ffmpeg.av_packet_alloc)
#define av_packet_free (vt_ffmpeg.av_packet_free)
#define av_packet_rescale_ts (vt_ffmpeg.av_packet_rescale_ts)
#define av_packet_unref (vt_ffmpeg.av_packet_unref)
#define av_pix_fmt_desc_get (vt_ffmpeg.av_pix_fmt_desc_get)
#define av_read_frame (vt_ffmpeg.av_read_frame)
#define av_rescale (vt_ffmpeg.av_rescale)
#define av_rescale_q (vt_ffmpeg.av_rescale_q)
#define av_seek_frame (vt_ffmpeg.av_seek_frame)
#define av_strdup (vt_ffmpeg.av_strdup)
#define av_strerror (vt_ffmpeg.av_strerror)
#define av_write_trailer (vt_ffmpeg.av_write_trailer)
#define avcodec_alloc_context3 (vt_ffmpeg.avcodec_alloc_context3)
#define avcodec_find_decoder_by_name (vt_ffmpeg.avcodec_find_decoder_by_name)
#define avcodec_find_encoder_by_name (vt_ffmpeg.avcodec_find_encoder_by_name)
#define avcodec_flush_buffers (vt_ffmpeg.avcodec_flush_buffers)
#define avcodec_free_context (vt_ffmpeg.avcodec_free_context)
#define avcodec_get_hw_config (vt_ffmpeg.avcodec_get_hw_config)
#define avcodec_get_name (vt_ffmpeg.avcodec_get_name)
#define avcodec_open2 (vt_ffmpeg.avcodec_open2)
#define avcodec_parameters_from_context (vt_ffmpeg.avcodec_parameters_from_context)
#define avcodec_parameters_to_context (vt_ffmpeg.avcodec_parameters_to_context)
#define avcodec_receive_frame (vt_ffmpeg.avcodec_receive_frame)
#define avcodec_receive_packet (vt_ffmpeg.avcodec_receive_packet)
#define avcodec_send_frame (vt_ffmpeg.avcodec_send_frame)
#define avcodec_send_packet (vt_ffmpeg.avcodec_send_packet)
#define avformat_alloc_context (vt_ffmpeg.avformat_alloc_context)
#define avformat_alloc_output_context2 (vt_ffmpeg.avformat_alloc_output_context2)
#define avformat_close_input (vt_ffmpeg.avformat_close_input)
#define avformat_find_stream_info (vt_ffmpeg.avformat_find_stream_info)
#define avformat_free_context (vt_ffmpeg.avformat_free_context)
#define avformat_new_stream (vt_ffmpeg.avformat_new_stream)
#define avformat_open_input (vt_ffmpeg.avformat_open_input)
#define avformat_seek_file (vt_ffmpeg.avformat_seek_file)
#define avformat_write_header (vt_ffmpeg.avformat_write_header)
#define avio_alloc_context (vt_ffmpeg.avio_alloc_context)
#define avio_context_free (vt_ffmpeg.avio_context_free)
#define avio_feof (vt_ffmpeg.avio_feof)
#define avio_flush (vt_ffmpeg.avio_flush)
#define swr_alloc_set_opts2 (vt_ffmpeg.swr_alloc_set_opts2)
#define swr_convert (vt_ffmpeg.swr_convert)
#define swr_free (vt_ffmpeg.swr_free)
#define swr_init (vt_ffmpeg.swr_init)
#define sws_freeContext (vt_ffmpeg.sws_freeContext)
#define sws_getCachedContext (vt_ffmpeg.sws_getCachedContext)
#define sws_getCoefficients (vt_ffmpeg.sws_getCoefficients)
#define sws_getContext (vt_ffmpeg.sws_getContext)
#define sws_scale (vt_ffmpeg.sws_scale)
#define sws_setColorspaceDetails (vt_ffmpeg.sws_setColorspaceDetails)
/* FFmpeg's av_err2str() calls av_strerror() from an inline function of its header, which the
 * table cannot reach: the same through it. */
static inline char *vt_ffmpeg_err2str(int errnum, char *buf) {
    av_strerror(errnum, buf, AV_ERROR_MAX_STRING_SIZE);
    return buf;
}
#undef av_err2str
#define av_err2str(errnum) vt_ffmpeg_err2str(errnum, (char[AV_ERROR_MAX_STRING_SIZE]){0})
#endif

#endif
