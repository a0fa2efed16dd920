package io.github.trtcreactive.reactor.page;

import io.github.trtcreactive.core.model.*;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The paged listings as {@code Flux}es, of pages or of items, lazy and with backpressure: a page is
 * fetched only when the subscriber needs it, so taking the first item costs one call, and the
 * listing stops after the last page.
 *
 * <p>Each listing pages from the request's own page number (or the first page) with the request's
 * page size (or the largest the action allows). It ends after an empty or short page, or once
 * {@code Total} items have arrived when {@code Total} is larger than a page. The documentation of
 * DescribeRoomInfo, DescribeUserInfo and DescribeCallDetailInfo defines {@code Total} as the number
 * of records returned (on the page), not the grand total: a listing that stopped at {@code Total}
 * would be cut to its first page, so a {@code Total} no larger than a page never ends it. Each page
 * is fetched with the subscriber's Reactor Context. When the client closes, the listing ends with
 * {@code TrtcClientClosedException}.
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

    /** One paged listing: how to fetch page N, where paging starts, and how to read a page. */
    private record Listing<R, T>(LongFunction<Mono<R>> fetch, long first, long size, Function<R, List<T>> itemsOf,
            ToLongFunction<R> total) {
        Flux<R> pages(TrtcAsyncClient client, String action) {
            return client.endOnClose(PageSource.pages(new PageCursor<>(fetch, first, size, itemsOf, total)), action);
        }

        Flux<T> items(TrtcAsyncClient client, String action) {
            return client.endOnClose(PageSource.items(new PageCursor<>(fetch, first, size, itemsOf, total)), action);
        }
    }

    private Listing<DescribeRoomInfoResponse, RoomState> roomInfo(DescribeRoomInfoRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return new Listing<>(page -> client.describeRoomInfo(request.toBuilder().pageNumber(page).pageSize(size)
                .build()), orElse(request.pageNumber(), 0), size, r -> list(r.roomList()), r -> orElse(r.total(), -1));
    }

    private Listing<DescribeUserInfoResponse, UserInformation> userInfo(DescribeUserInfoRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return new Listing<>(page -> client.describeUserInfo(request.toBuilder().pageNumber(page).pageSize(size)
                .build()), orElse(request.pageNumber(), 0), size, r -> list(r.userList()), r -> orElse(r.total(), -1));
    }

    private Listing<DescribeCallDetailInfoResponse, UserInformation> callDetailInfo(
            DescribeCallDetailInfoRequest request) {
        long size = orElse(request.pageSize(), request.dataType() != null ? 6 : MAX_PAGE);
        return new Listing<>(page -> client.describeCallDetailInfo(request.toBuilder().pageNumber(page).pageSize(size)
                .build()), orElse(request.pageNumber(), 0), size, r -> list(r.userList()), r -> orElse(r.total(), -1));
    }

    private Listing<DescribePictureResponse, PictureInfo> picture(DescribePictureRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return new Listing<>(page -> client.describePicture(request.toBuilder().pageNo(page).pageSize(size).build()),
                orElse(request.pageNo(), 1), size, r -> list(r.pictureInfo()), r -> orElse(r.total(), -1));
    }

    private Listing<DescribeVoicePrintResponse, VoicePrintInfo> voicePrint(DescribeVoicePrintRequest request) {
        long size = orElse(request.pageSize(), MAX_PAGE);
        return new Listing<>(page -> client.describeVoicePrint(request.toBuilder().pageIndex(page).pageSize(size)
                .build()), orElse(request.pageIndex(), 1), size, r -> list(r.data()), r -> orElse(r.totalCount(), -1));
    }

    /**
     * The pages of DescribeRoomInfo (PageNumber from 0).
     *
     * @param request the query; its page number and size, if set, are where and how paging starts
     * @return the pages, fetched on demand
     */
    public Flux<DescribeRoomInfoResponse> describeRoomInfoPages(DescribeRoomInfoRequest request) {
        return roomInfo(request).pages(client, "DescribeRoomInfo");
    }

    /**
     * The rooms DescribeRoomInfo lists, across pages.
     *
     * @param request the query
     * @return the rooms, a page fetched only when an item beyond those already fetched is requested
     */
    public Flux<RoomState> describeRoomInfo(DescribeRoomInfoRequest request) {
        return roomInfo(request).items(client, "DescribeRoomInfo");
    }

    /**
     * The pages of DescribeUserInfo (PageNumber from 0).
     *
     * @param request the query; its page number and size, if set, are where and how paging starts
     * @return the pages, fetched on demand
     */
    public Flux<DescribeUserInfoResponse> describeUserInfoPages(DescribeUserInfoRequest request) {
        return userInfo(request).pages(client, "DescribeUserInfo");
    }

    /**
     * The users DescribeUserInfo lists, across pages.
     *
     * @param request the query
     * @return the users, a page fetched only when an item beyond those already fetched is requested
     */
    public Flux<UserInformation> describeUserInfo(DescribeUserInfoRequest request) {
        return userInfo(request).items(client, "DescribeUserInfo");
    }

    /**
     * The pages of DescribeCallDetailInfo (PageNumber from 0; at most 6 per page with DataType).
     *
     * @param request the query; its page number and size, if set, are where and how paging starts
     * @return the pages, fetched on demand
     */
    public Flux<DescribeCallDetailInfoResponse> describeCallDetailInfoPages(DescribeCallDetailInfoRequest request) {
        return callDetailInfo(request).pages(client, "DescribeCallDetailInfo");
    }

    /**
     * The users DescribeCallDetailInfo lists, across pages.
     *
     * @param request the query
     * @return the users, a page fetched only when an item beyond those already fetched is requested
     */
    public Flux<UserInformation> describeCallDetailInfo(DescribeCallDetailInfoRequest request) {
        return callDetailInfo(request).items(client, "DescribeCallDetailInfo");
    }

    /**
     * The pages of DescribePicture (PageNo from 1 unless the request says otherwise).
     *
     * @param request the query; its page number and size, if set, are where and how paging starts
     * @return the pages, fetched on demand
     */
    public Flux<DescribePictureResponse> describePicturePages(DescribePictureRequest request) {
        return picture(request).pages(client, "DescribePicture");
    }

    /**
     * The pictures DescribePicture lists, across pages.
     *
     * @param request the query
     * @return the pictures, a page fetched only when an item beyond those already fetched is requested
     */
    public Flux<PictureInfo> describePicture(DescribePictureRequest request) {
        return picture(request).items(client, "DescribePicture");
    }

    /**
     * The pages of DescribeVoicePrint (PageIndex from 1 unless the request says otherwise).
     *
     * @param request the query; its page number and size, if set, are where and how paging starts
     * @return the pages, fetched on demand
     */
    public Flux<DescribeVoicePrintResponse> describeVoicePrintPages(DescribeVoicePrintRequest request) {
        return voicePrint(request).pages(client, "DescribeVoicePrint");
    }

    /**
     * The voiceprints DescribeVoicePrint lists, across pages.
     *
     * @param request the query
     * @return the voiceprints, a page fetched only when an item beyond those already fetched is requested
     */
    public Flux<VoicePrintInfo> describeVoicePrint(DescribeVoicePrintRequest request) {
        return voicePrint(request).items(client, "DescribeVoicePrint");
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }

    private static long orElse(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
