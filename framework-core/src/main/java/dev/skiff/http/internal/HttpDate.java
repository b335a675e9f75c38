package dev.skiff.http.internal;

import java.time.LocalDate;

/**
 * The {@code Date} header of a response: the current second as an IMF-fixdate (RFC 9110, 5.6.7),
 * such as {@code Sun, 06 Nov 1994 08:49:37 GMT}, made once a second.
 *
 * <p>Undertow dates a response that has none through {@code SimpleDateFormat}, whose first use
 * builds a calendar from the JDK's locale providers: some 50 ms of the first response of every
 * start on one core, the first 200 waiting. Skiff dates its responses itself, with English names
 * and digits only, and Undertow keeps a {@code Date} it finds.
 */
final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    /** The text of one second. */
    private record Second(long epochSecond, String text) {}

    private static volatile Second current = new Second(Long.MIN_VALUE, "");

    private HttpDate() {}

    /** {@return the current second's date, as a response's {@code Date} header gives it} */
    static String now() {
        long epochSecond = Math.floorDiv(System.currentTimeMillis(), 1000);
        Second second = current;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, format(epochSecond));
            current = second; // a race writes the same text, or the next second's: either is now
        }
        return second.text();
    }

    /** {@return the IMF-fixdate of a second since the epoch, in GMT} */
    static String format(long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = Math.floorMod(epochSecond, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        var text = new StringBuilder(29).append(DAYS[date.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(text, date.getDayOfMonth()).append(' ').append(MONTHS[date.getMonthValue() - 1]).append(' ');
        int year = date.getYear();
        if (year < 1000) {
            text.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        text.append(year).append(' ');
        twoDigits(text, secondOfDay / 3600).append(':');
        twoDigits(text, secondOfDay / 60 % 60).append(':');
        return twoDigits(text, secondOfDay % 60).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
