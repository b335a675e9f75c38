package dev.skiff.config;

/**
 * An amount of bytes, configured as {@code 512KiB}, {@code 10MiB}, {@code 1GB} or a plain number
 * of bytes. Binary units ({@code KiB}, {@code MiB}, {@code GiB}, and the single letters {@code K},
 * {@code M}, {@code G}) are powers of 1024; decimal ones ({@code kB}, {@code MB}, {@code GB}) are
 * powers of 1000.
 *
 * @param bytes the number of bytes, zero or more
 */
public record ByteSize(long bytes) {

    /** Rejects a negative size. */
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is zero or more bytes, got " + bytes);
        }
    }

    /**
     * Creates a size.
     *
     * @param bytes the number of bytes
     * @return the size
     */
    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    /** {@return the size in the largest binary unit that divides it, such as {@code 10MiB}} */
    @Override
    public String toString() {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        long value = bytes;
        int unit = 0;
        while (value != 0 && value % 1024 == 0 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
