package io.github.trtcreactive.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a member's facts out of one site's description of it: its unit, its numeric range, its
 * default, the most characters of a string or elements of a list, and the numeric values it lists.
 * Only numbers and units come out; the description's sentences stay where they are.
 *
 * <p>The patterns cover the ways the two sites state these facts (the China site in Chinese, the
 * international one in English); what they do not recognise is simply not a fact. {@link DeriveSpec}
 * compares the two sites' findings and the facts overlay corrects or completes them.
 */
final class FactsExtractor {

    /** What one site's description states about one member; null fields are not stated. */
    record Found(String unit, Long min, Long max, String defaultValue, Long maxLength, Long maxItems,
            List<Long> values) {

        boolean isEmpty() {
            return unit == null && min == null && max == null && defaultValue == null && maxLength == null
                    && maxItems == null && values == null;
        }
    }

    private static final Pattern TAGS = Pattern.compile("<[^>]+>");
    private static final String NUM = "(-?\\d+(?:\\.\\d+)?)";

    private static final Pattern UNIT_CN = Pattern.compile(
            "单位[：:]?\\s*(?:为|是)?\\s*[：:]?\\s*(毫秒|秒|分钟|小时|天|字节|像素|kbps|Kbps|bps|Hz|赫兹|ms|MB|KB|px|%|帧)");
    private static final Pattern UNIT_EN = Pattern.compile(
            "(?:(?:measurement )?unit(?: of measurement)?(?: is)?\\s*[:：]?\\s*|\\bin )"
                    + "(milliseconds?|seconds?|minutes?|hours?|days?|bytes?|pixels?|kbps|bps|Hz|ms|MB|KB|px)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern RANGE_BRACKET = Pattern.compile("[\\[［]\\s*" + NUM + "\\s*[,，]\\s*" + NUM + "\\s*[\\]］]");
    private static final Pattern RANGE_CN = Pattern.compile(
            "(?:取值范围|范围|取值)(?:为|是)?[：:]?\\s*" + NUM + "\\s*(?:-|－|~|～|至|到)\\s*" + NUM);
    private static final Pattern RANGE_EN = Pattern.compile(
            "(?:range(?:s)?(?: is| of| from)?|between|from)\\s*[:：]?\\s*" + NUM + "\\s*(?:-|~|to|and)\\s*" + NUM,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MIN_EN = Pattern.compile(
            "(?:greater than or equal to|at least|minimum(?: value)?(?: is)?[:：]?|min(?:imum)?\\s*[:：])\\s*" + NUM,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MAX_EN = Pattern.compile(
            "(?:less than or equal to|maximum value(?: is)?[:：]?|max(?:imum)?\\s*[:：])\\s*" + NUM
                    + "|(?:at most|maximum(?: is)?|not exceed(?:ing)?|no more than|up to)\\s*" + NUM
                    + "(?!\\s*(?:\\d|characters|chars|bytes|users|items|elements|streams|hours?|minutes?|days?|seconds?|rooms?|tasks?))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MIN_CN = Pattern.compile("(?:大于等于|不小于|最小(?:值)?(?:为|是)?[：:]?)\\s*" + NUM);
    private static final Pattern MAX_CN = Pattern.compile("(?:小于等于|最大值(?:为|是)?[：:]?)\\s*" + NUM
            + "|(?:不超过|不大于|最大(?:为|是)?)\\s*" + NUM + "(?!\\s*(?:\\d|个|字符|字节|位|小时|分钟|天|秒|路|MB|KB|G|张|种|次|个月))");

    private static final Pattern DEFAULT_CN = Pattern.compile("默认(?:值)?(?:为|是)?\\s*[：:]?\\s*" + NUM);
    private static final Pattern DEFAULT_EN = Pattern.compile(
            "default(?:s)?(?: value)?(?: is| to| of)?\\s*[:：]?\\s*" + NUM, Pattern.CASE_INSENSITIVE);
    private static final Pattern DEFAULT_MARK = Pattern.compile(
            "(?:^|[\\s;；。.,，>])" + NUM + "\\s*[:：]\\s*(?:(?!\\d\\s*[:：])[^;；\\n]){0,40}?[（(]\\s*(?:默认|default)(?: value)?\\s*[)）]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DEFAULT_MARK_BEFORE = Pattern.compile(
            "(?:^|[\\s;；。.,，>])" + NUM + "\\s*[:：]\\s*[（(]\\s*(?:默认|default)\\s*[)）]", Pattern.CASE_INSENSITIVE);

    private static final Pattern LENGTH_CN = Pattern.compile(
            "(?:长度(?:不超过|不能超过|上限为?|最大为?|最长为?|限制为?)|不超过|最长|最多)\\s*" + NUM + "\\s*(?:个)?(?:字符|字节|位)");
    private static final Pattern LENGTH_EN = Pattern.compile(
            "(?:up to|maximum(?: length)?(?: of| is)?|max(?:imum)? length(?: of| is)?|no more than|not exceed(?:ing)?|at most|cannot exceed|length limit(?: of| is)?)\\s*"
                    + NUM + "\\s*(?:characters|chars|bytes)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ITEMS_CN = Pattern.compile(
            "(?:最多|不超过|上限为?|最大)[^，,。；;\\d]{0,8}?" + NUM + "(?:\\s*个|\\s*[。；;]|\\s*$)");
    private static final Pattern ITEMS_EN = Pattern.compile(
            "(?:up to|maximum of|max(?:imum)?(?: of)?|no more than|not exceed(?:ing)?|at most)\\s*" + NUM
                    + "\\s*(?:users?|items?|elements?|streams?|ids|entries|rooms?|tasks?|urls?|\\w+ )",
            Pattern.CASE_INSENSITIVE);

    /** A listed value: a number then a colon, at the start or after a separator. */
    private static final Pattern VALUE = Pattern.compile("(?:^|[\\n;；。,，>]|\\s)(-?\\d{1,3})\\s*[:：](?!\\d)");

    private FactsExtractor() {}

    /**
     * Reads one description.
     *
     * @param type the member's JSON type ({@code int}, {@code string}, ...)
     * @param document the description, or null
     * @return what it states
     */
    static Found read(String type, String document) {
        if (document == null || document.isBlank()) {
            return new Found(null, null, null, null, null, null, null);
        }
        String text = TAGS.matcher(document.replace("<br>", "\n").replace("</li>", "\n").replace("</p>", "\n"))
                .replaceAll(" ").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
        // Example values state nothing about the member's rules.
        text = text.replaceAll("(?:示例值|Example value)[：:][^\\n]*", " ");
        boolean numeric = type.equals("int") || type.equals("float");
        String unit = unit(text);
        Long min = null;
        Long max = null;
        Long maxLength = null;
        Long maxItems = null;
        String defaultValue = null;
        List<Long> values = null;
        if (numeric) {
            long[] range = range(text);
            if (range != null) {
                min = range[0];
                max = range[1];
            } else {
                min = first(text, MIN_CN, MIN_EN);
                max = first(text, MAX_CN, MAX_EN);
            }
            values = values(text);
            defaultValue = defaultOf(text);
        } else if (type.equals("string")) {
            maxLength = first(text, LENGTH_CN, LENGTH_EN);
        } else if (type.equals("list")) {
            maxItems = first(text, ITEMS_CN, ITEMS_EN);
        } else if (type.equals("bool")) {
            Matcher d = Pattern.compile("默认(?:值)?(?:为|是)?\\s*[：:]?\\s*(true|false)|default(?: value)?(?: is)?\\s*[:：]?\\s*(true|false)",
                    Pattern.CASE_INSENSITIVE).matcher(text);
            if (d.find()) {
                defaultValue = (d.group(1) != null ? d.group(1) : d.group(2)).toLowerCase(Locale.ROOT);
            }
        }
        return new Found(unit, min, max, defaultValue, maxLength, maxItems, values);
    }

    private static String unit(String text) {
        Matcher cn = UNIT_CN.matcher(text);
        if (cn.find()) {
            return switch (cn.group(1)) {
                case "毫秒", "ms" -> "ms";
                case "秒" -> "s";
                case "分钟" -> "min";
                case "小时" -> "h";
                case "天" -> "d";
                case "字节" -> "bytes";
                case "像素", "px" -> "px";
                case "kbps", "Kbps" -> "kbps";
                case "bps" -> "bps";
                case "Hz", "赫兹" -> "Hz";
                case "MB" -> "MB";
                case "KB" -> "KB";
                case "%" -> "%";
                case "帧" -> "frames";
                default -> null;
            };
        }
        Matcher en = UNIT_EN.matcher(text);
        if (en.find()) {
            String u = en.group(1).toLowerCase(Locale.ROOT);
            return switch (u) {
                case "millisecond", "milliseconds", "ms" -> "ms";
                case "second", "seconds" -> "s";
                case "minute", "minutes" -> "min";
                case "hour", "hours" -> "h";
                case "day", "days" -> "d";
                case "byte", "bytes" -> "bytes";
                case "pixel", "pixels", "px" -> "px";
                case "kbps" -> "kbps";
                case "bps" -> "bps";
                case "hz" -> "Hz";
                case "mb" -> "MB";
                case "kb" -> "KB";
                default -> null;
            };
        }
        return null;
    }

    private static long[] range(String text) {
        for (Pattern p : List.of(RANGE_CN, RANGE_EN)) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                long[] r = longs(m.group(1), m.group(2));
                if (r != null && r[0] <= r[1]) {
                    return r;
                }
            }
        }
        Matcher b = RANGE_BRACKET.matcher(text);
        if (b.find()) {
            long[] r = longs(b.group(1), b.group(2));
            if (r != null && r[0] <= r[1]) {
                return r;
            }
        }
        return null;
    }

    private static long[] longs(String a, String b) {
        if (a.contains(".") || b.contains(".")) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(a), Long.parseLong(b)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long first(String text, Pattern cn, Pattern en) {
        for (Pattern p : List.of(cn, en)) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                String number = m.group(1) != null ? m.group(1) : m.group(2);
                if (number.contains(".")) {
                    return null;
                }
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String defaultOf(String text) {
        for (Pattern p : List.of(DEFAULT_MARK_BEFORE, DEFAULT_MARK, DEFAULT_CN, DEFAULT_EN)) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** Two or more small values listed as "N: ...", in the order given; null when fewer. */
    private static List<Long> values(String text) {
        Matcher m = VALUE.matcher(text);
        TreeSet<Long> seen = new TreeSet<>();
        List<Long> values = new ArrayList<>();
        while (m.find()) {
            long v = Long.parseLong(m.group(1));
            if (seen.add(v)) {
                values.add(v);
            }
        }
        return values.size() >= 2 ? values : null;
    }
}
