package io.github.trtcreactive.core.catalog;

/** A family of actions that start, describe, update and stop one kind of long-running task. */
public enum TaskFamily {
    /** On-cloud recording: CreateCloudRecording … DeleteCloudRecording. */
    CLOUD_RECORDING,
    /** Pulling an external stream into a room: StartStreamIngest … StopStreamIngest. */
    STREAM_INGEST,
    /** Relaying or mixing to CDN: StartPublishCdnStream … StopPublishCdnStream (no Describe action). */
    PUBLISH_CDN,
    /** An AI agent in a room: StartAIConversation … StopAIConversation. */
    AI_CONVERSATION,
    /** Real-time AI transcription: StartAITranscription … StopAITranscription. */
    AI_TRANSCRIPTION,
    /** Recording a web page: StartWebRecord … StopWebRecord. */
    WEB_RECORD,
    /** Cutting room media into slices: CreateCloudSliceTask … DeleteCloudSliceTask. */
    CLOUD_SLICE,
    /** Moderating room media: CreateCloudModeration … DeleteCloudModeration. */
    CLOUD_MODERATION,
    /** Transcribing room audio to storage: CreateCloudTranscription … DeleteCloudTranscription. */
    CLOUD_TRANSCRIPTION,
    /** Moderating a live stream (China site): CreateLiveStreamModeration … DeleteLiveStreamModeration. */
    LIVE_STREAM_MODERATION,
    /** Long text to speech (China site): AsyncTextToSpeech and DescribeAsyncTextToSpeech. */
    ASYNC_TEXT_TO_SPEECH,
    /** The retired MCU mix transcoding actions still described on the China site. */
    MCU_MIX_TRANSCODE
}
