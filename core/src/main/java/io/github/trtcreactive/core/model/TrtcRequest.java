package io.github.trtcreactive.core.model;

/** The input of one action; sent as the JSON body of the request. */
public interface TrtcRequest extends TrtcModel {}
