package dev.skiff.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Locale;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Reads a connection's bytes before Undertow's parser does, and holds them to RFC 9112 where
 * Undertow is lenient: a header line folded onto the previous one (obs-fold), a
 * {@code Transfer-Encoding} other than exactly {@code chunked}, and a chunked body whose size
 * lines, chunk ends or trailers do not end in CRLF, or whose size is not hex.
 *
 * <p>In a request's head, the offending byte is changed into one Undertow's parser refuses, so
 * that Undertow answers 400 and closes the connection itself. In a chunked body, Undertow would
 * only close the connection, answering nothing: the bytes before the fault are passed on, nothing
 * after it is, and {@link #fault()} says what was wrong, for the body's reader to answer 400.
 *
 * <p>One per connection, on its I/O thread. Bounded: it keeps at most a short line of the head.
 */
final class StrictFraming extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_SIZE_LF, CHUNK_DATA, CHUNK_DATA_CR,
        CHUNK_DATA_LF, TRAILER, DONE }

    /** The longest head line kept to read a framing header's value; a longer framing header is refused. */
    private static final int LINE = 256;
    /** The longest chunk size line, extensions included. */
    private static final int MAX_SIZE_LINE = 4096;
    /** A byte Undertow refuses in a header name: it then answers 400 and closes. */
    private static final byte REFUSED = 0x01;

    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private boolean lineTooLong;
    private boolean firstLine = true;
    private boolean lineStart = true;
    private boolean afterCr;
    private long contentLength = -1;
    private boolean chunked;
    private long remaining;
    private int sizeDigits;
    private boolean trailerLineEmpty = true;
    private volatile String fault;
    /** Reads asked since the fault: the first gets nothing (the body's reader answers 400), later ones the end. */
    private int readsAfterFault;
    /** The length of the chunk size line being read, extensions included. */
    private int sizeLine;

    StrictFraming(StreamSourceConduit next) {
        super(next);
    }

    /** {@return what was wrong with the chunked body being read, or null when nothing was} */
    String fault() {
        return fault;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (fault != null) {
            // Nothing after a fault. The body's reader, which asks first, sees no bytes and answers
            // 400; anyone after it sees the end, so that a read listener never spins on bytes that
            // will not be passed on.
            return readsAfterFault++ == 0 ? 0 : -1;
        }
        int start = dst.position();
        int read = next.read(dst);
        if (read > 0) {
            int end = scan(dst, start, start + read);
            if (end < start + read) {
                dst.position(end);
                return end - start;
            }
        }
        return read;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    /** {@return where the bytes that may be passed on end: {@code to}, or the first byte of a body's fault} */
    private int scan(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buffer.get(i);
            switch (state) {
                case HEAD -> head(buffer, i, b);
                case FIXED_BODY -> {
                    long skip = Math.min(remaining, to - i);
                    remaining -= skip;
                    i += (int) skip - 1;
                    if (remaining == 0) {
                        state = State.HEAD;
                    }
                }
                case CHUNK_SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (++sizeLine > MAX_SIZE_LINE) {
                        return fail(i, "a chunk size line longer than " + MAX_SIZE_LINE + " bytes");
                    }
                    if (digit >= 0) {
                        if ((remaining > 0 || digit > 0) && ++sizeDigits > 15) {
                            return fail(i, "a chunk size of more than 15 hex digits");
                        }
                        remaining = remaining * 16 + digit;
                    } else if (sizeLine == 1) {
                        return fail(i, "a chunk size that is not a hex number");
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = State.CHUNK_EXTENSION;
                    } else if (b == '\r') {
                        state = State.CHUNK_SIZE_LF;
                    } else {
                        return fail(i, b == '\n' ? "a chunk size line ending in a bare LF, not CRLF"
                                : "a chunk size that is not a hex number");
                    }
                }
                case CHUNK_EXTENSION -> {
                    if (++sizeLine > MAX_SIZE_LINE) {
                        return fail(i, "a chunk size line longer than " + MAX_SIZE_LINE + " bytes");
                    }
                    if (b == '\r') {
                        state = State.CHUNK_SIZE_LF;
                    } else if (b == '\n' || b == 0) {
                        return fail(i, "a chunk size line ending in a bare LF, not CRLF");
                    }
                }
                case CHUNK_SIZE_LF -> {
                    if (b != '\n') {
                        return fail(i, "a CR without LF in a chunk size line");
                    }
                    sizeDigits = 0;
                    sizeLine = 0;
                    if (remaining == 0) {
                        state = State.TRAILER;
                        trailerLineEmpty = true;
                        afterCr = false;
                    } else {
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    long skip = Math.min(remaining, to - i);
                    remaining -= skip;
                    i += (int) skip - 1;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_CR;
                    }
                }
                case CHUNK_DATA_CR -> {
                    if (b != '\r') {
                        return fail(i, "a chunk longer than its size, or not ended by CRLF");
                    }
                    state = State.CHUNK_DATA_LF;
                }
                case CHUNK_DATA_LF -> {
                    if (b != '\n') {
                        return fail(i, "a chunk not ended by CRLF");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILER -> {
                    if (b == '\n') {
                        if (!afterCr) {
                            return fail(i, "a trailer line ending in a bare LF, not CRLF");
                        }
                        if (trailerLineEmpty) {
                            startHead();
                        } else {
                            trailerLineEmpty = true;
                            afterCr = false;
                        }
                    } else if (b == '\r') {
                        afterCr = true;
                    } else {
                        if (trailerLineEmpty && (b == ' ' || b == '\t')) {
                            return fail(i, "a trailer line folded onto the one before (obs-fold)");
                        }
                        trailerLineEmpty = false;
                        afterCr = false;
                    }
                }
                case DONE -> {
                    return to;
                }
            }
        }
        return to;
    }

    private int fail(int at, String what) {
        fault = what;
        state = State.DONE;
        return at;
    }

    private void startHead() {
        state = State.HEAD;
        firstLine = true;
        lineStart = true;
        contentLength = -1;
        chunked = false;
        line.setLength(0);
        lineTooLong = false;
    }

    /** One byte of a request's head. Bare LFs and other faults Undertow refuses itself. */
    private void head(ByteBuffer buffer, int at, byte b) {
        if (b == '\n') {
            if (lineStart && firstLine) {
                return; // an empty line before the request line, which a server may skip
            }
            if (lineStart) {
                endOfHead();
                return;
            }
            endOfLine(buffer, at);
            firstLine = false;
            lineStart = true;
            return;
        }
        if (b == '\r') {
            return;
        }
        if (lineStart && !firstLine && (b == ' ' || b == '\t')) {
            // obs-fold: a header line continued on the next; RFC 9112 lets a server refuse it.
            buffer.put(at, REFUSED);
        }
        lineStart = false;
        if (!firstLine) {
            if (line.length() < LINE) {
                line.append((char) (b & 0xff));
            } else {
                lineTooLong = true;
            }
        }
    }

    /** A header line ends: a framing header's value is read, and a transfer coding other than chunked refused. */
    private void endOfLine(ByteBuffer buffer, int at) {
        String header = line.toString();
        line.setLength(0);
        boolean tooLong = lineTooLong;
        lineTooLong = false;
        int colon = header.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        if (tooLong && (name.equals("transfer-encoding") || name.equals("content-length"))) {
            // Its value is past what is kept: refused rather than read otherwise than Undertow reads it.
            refuseHeadAt(buffer, at);
            return;
        }
        if (name.equals("transfer-encoding")) {
            if (!value.equals("chunked")) {
                // Only chunked is read: "chunked, identity" (chunked not last), "gzip, chunked" (a
                // coding this server does not decode) and the rest are refused, not guessed at.
                refuseHeadAt(buffer, at);
            }
            chunked = true;
        } else if (name.equals("content-length")) {
            try {
                contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
                contentLength = -1; // Undertow refuses it itself
            }
        }
    }

    /** Makes Undertow refuse the head being read: this line's LF, not yet passed on, becomes a byte it refuses. */
    private static void refuseHeadAt(ByteBuffer buffer, int lineFeed) {
        buffer.put(lineFeed, REFUSED);
    }

    private void endOfHead() {
        firstLine = true;
        lineStart = true;
        if (chunked) {
            state = State.CHUNK_SIZE;
            remaining = 0;
            sizeDigits = 0;
            sizeLine = 0;
        } else if (contentLength > 0) {
            state = State.FIXED_BODY;
            remaining = contentLength;
        } else {
            state = State.HEAD;
        }
        contentLength = -1;
        chunked = false;
    }
}
