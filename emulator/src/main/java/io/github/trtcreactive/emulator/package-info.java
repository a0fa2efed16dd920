/**
 * The local TRTC endpoint: {@link io.github.trtcreactive.emulator.TrtcEmulator}, for examples, the
 * SDK's own tests and users' tests, and {@link io.github.trtcreactive.emulator.EmulatorMain} to run it
 * standalone.
 */
package io.github.trtcreactive.emulator;
