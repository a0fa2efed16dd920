package io.github.trtcreactive.reactor.page;

import io.github.trtcreactive.core.model.*;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * The paged listings as {@code Flux}es, of pages or of items, lazy and with backpressure: a page is
 * fetched only when the subscriber needs it, so taking the first item costs one call, and the
 * listing stops after the last page.
 *
 * <p>Each listing pages from the request's own page number (or the first page) with the request's
 * page size (or the largest the action allows). It ends after an empty or short page, or once
 * {@code Total} items have arrived; the documentation describes {@code Total} ambiguously as the
 * number of records returned, and the listing is correct under either reading.
 */
public final class Paginators {

    private static final long MAX_PAGE = 100;

    private final TrtcAsyncClient client;

    private Paginators(TrtcAsyncClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Paginators over a client's calls (each page waits for its rate-limit permit like any call).
     *
     * @param client the client
     * @return the paginators
     */
    public static Paginators create(TrtcAsyncClient client) {
        return new Paginators(client);
    }

    /**
     * The pages of DescribeRoomInfo (PageNumber from 0).
     *
     * @param request the query; its PageNumber and PageSize, if set, are where and how paging starts
     * @return the pages, fetched on demand
     */
    public Flux<DescribeRoomInfoResponse> describeRoomInfoPages(DescribeRoomInfoRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return PageSource.pages(page -> client.describeRoomInfo(request.toBuilder().pageNumber(page).pageSize(size)
                .build()), orElse(request.pageNumber(), 0), size, r -> list(r.roomList()), r -> orElse(r.total(), 0));
    }

    /**
     * The rooms DescribeRoomInfo lists, across pages.
     *
     * @param request the query
     * @return the rooms, a page fetched only when needed
     */
    public Flux<RoomState> describeRoomInfo(DescribeRoomInfoRequest request) {
        return items(describeRoomInfoPages(request), DescribeRoomInfoResponse::roomList);
    }

    /**
     * The pages of DescribeUserInfo (PageNumber from 0).
     *
     * @param request the query
     * @return the pages, fetched on demand
     */
    public Flux<DescribeUserInfoResponse> describeUserInfoPages(DescribeUserInfoRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return PageSource.pages(page -> client.describeUserInfo(request.toBuilder().pageNumber(page).pageSize(size)
                .build()), orElse(request.pageNumber(), 0), size, r -> list(r.userList()), r -> orElse(r.total(), 0));
    }

    /**
     * The users DescribeUserInfo lists, across pages.
     *
     * @param request the query
     * @return the users, a page fetched only when needed
     */
    public Flux<UserInformation> describeUserInfo(DescribeUserInfoRequest request) {
        return items(describeUserInfoPages(request), DescribeUserInfoResponse::userList);
    }

    /**
     * The pages of DescribeCallDetailInfo (PageNumber from 0; at most 6 per page with DataType).
     *
     * @param request the query
     * @return the pages, fetched on demand
     */
    public Flux<DescribeCallDetailInfoResponse> describeCallDetailInfoPages(DescribeCallDetailInfoRequest request) {
        long size = orElse(request.pageSize(), request.dataType() != null ? 6 : MAX_PAGE);
        return PageSource.pages(page -> client.describeCallDetailInfo(request.toBuilder().pageNumber(page)
                        .pageSize(size).build()), orElse(request.pageNumber(), 0), size, r -> list(r.userList()),
                r -> orElse(r.total(), 0));
    }

    /**
     * The users DescribeCallDetailInfo lists, across pages.
     *
     * @param request the query
     * @return the users, a page fetched only when needed
     */
    public Flux<UserInformation> describeCallDetailInfo(DescribeCallDetailInfoRequest request) {
        return items(describeCallDetailInfoPages(request), DescribeCallDetailInfoResponse::userList);
    }

    /**
     * The pages of DescribePicture (PageNo from 1 unless the request says otherwise).
     *
     * @param request the query
     * @return the pages, fetched on demand
     */
    public Flux<DescribePictureResponse> describePicturePages(DescribePictureRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return PageSource.pages(page -> client.describePicture(request.toBuilder().pageNo(page).pageSize(size)
                .build()), orElse(request.pageNo(), 1), size, r -> list(r.pictureInfo()), r -> orElse(r.total(), 0));
    }

    /**
     * The pictures DescribePicture lists, across pages.
     *
     * @param request the query
     * @return the pictures, a page fetched only when needed
     */
    public Flux<PictureInfo> describePicture(DescribePictureRequest request) {
        return items(describePicturePages(request), DescribePictureResponse::pictureInfo);
    }

    /**
     * The pages of DescribeVoicePrint (PageIndex from 1 unless the request says otherwise).
     *
     * @param request the query
     * @return the pages, fetched on demand
     */
    public Flux<DescribeVoicePrintResponse> describeVoicePrintPages(DescribeVoicePrintRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return PageSource.pages(page -> client.describeVoicePrint(request.toBuilder().pageIndex(page).pageSize(size)
                        .build()), orElse(request.pageIndex(), 1), size, r -> list(r.data()),
                r -> orElse(r.totalCount(), 0));
    }

    /**
     * The voiceprints DescribeVoicePrint lists, across pages.
     *
     * @param request the query
     * @return the voiceprints, a page fetched only when needed
     */
    public Flux<VoicePrintInfo> describeVoicePrint(DescribeVoicePrintRequest request) {
        return items(describeVoicePrintPages(request), DescribeVoicePrintResponse::data);
    }

    private static <R, T> Flux<T> items(Flux<R> pages, Function<R, List<T>> items) {
        return pages.concatMapIterable(r -> list(items.apply(r)), 1);
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }

    private static long orElse(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
