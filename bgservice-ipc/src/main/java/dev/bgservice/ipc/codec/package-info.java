/**
 * The wire protocol of PROTOCOL.md: framing ({@link dev.bgservice.ipc.codec.FrameReader}, {@link
 * dev.bgservice.ipc.codec.FrameWriter}, {@link dev.bgservice.ipc.codec.Frames}), the message model
 * ({@link dev.bgservice.ipc.codec.Request}, {@link dev.bgservice.ipc.codec.Response}, {@link
 * dev.bgservice.ipc.codec.Event}) and its JSON form ({@link dev.bgservice.ipc.codec.MessageCodec}).
 * See {@code docs/protocol.md}.
 */
package dev.bgservice.ipc.codec;
