package org.synthloom.datasets.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads delimiter-separated records the RFC 4180 way, on bytes: a field that starts with a quote
 * runs to the closing quote and may contain the separator, line breaks and doubled quotes
 * ({@code ""}); records end at LF, CRLF or CR. Working on bytes keeps a row with bad UTF-8 from
 * stopping the file: fields are decoded (strictly) by the caller, one by one.
 *
 * <p>Lenient where RFC 4180 is strict, as pandas is: a quote inside an unquoted field is kept as
 * a character, and text after a closing quote is appended to the field. Blank lines are skipped.
 */
final class CsvParser implements Closeable {

    /** Longest record accepted: 16 MiB (an unbalanced quote would otherwise swallow the file). */
    static final int MAX_RECORD_BYTES = 16 << 20;

    /** A record: the physical line it starts on (1-based), its fields, or a syntax error. */
    record Record(long line, List<byte[]> fields, String error) {
        int size() {
            return fields.size();
        }
    }

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int AFTER_QUOTE = 3;

    private final InputStream in;
    private final byte separator;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long line = 1;
    private boolean ended;
    private byte[] field = new byte[256];
    private int fieldLength;
    private long recordBytes;

    /**
     * @param in the bytes (closed with the parser); a UTF-8 byte order mark at the start is skipped
     * @param separator the field separator, an ASCII character other than a quote or line break
     */
    CsvParser(InputStream in, char separator) {
        if (separator > 0x7f || separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("the separator must be an ASCII character other than a quote or a line"
                    + " break: " + separator);
        }
        this.in = in;
        this.separator = (byte) separator;
    }

    private int read() throws IOException {
        if (position == limit) {
            if (ended) {
                return -1;
            }
            limit = in.readNBytes(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                ended = true;
                return -1;
            }
        }
        return buffer[position++] & 0xff;
    }

    private int peek() throws IOException {
        int c = read();
        if (c >= 0) {
            position--;
        }
        return c;
    }

    private boolean bomChecked;

    /**
     * @return the next non-blank record, or null at the end of the input
     * @throws IOException if the input cannot be read
     */
    Record next() throws IOException {
        if (!bomChecked) {
            bomChecked = true;
            // the first fill holds the whole start of the file (readNBytes fills the buffer)
            if (peek() >= 0 && limit - position >= 3 && buffer[position] == (byte) 0xEF
                    && buffer[position + 1] == (byte) 0xBB && buffer[position + 2] == (byte) 0xBF) {
                position += 3;
            }
        }
        while (true) {
            Record record = readRecord();
            if (record == null) {
                return null;
            }
            if (record.error() == null && record.size() == 1 && record.fields().get(0).length == 0) {
                continue; // a blank line
            }
            return record;
        }
    }

    private Record readRecord() throws IOException {
        long start = line;
        List<byte[]> fields = new ArrayList<>();
        fieldLength = 0;
        recordBytes = 0;
        int state = FIELD_START;
        boolean any = false;
        while (true) {
            int c = read();
            if (c < 0) {
                if (!any) {
                    return null;
                }
                if (state == QUOTED) {
                    return new Record(start, fields, "a quoted field opened on line " + start
                            + " is not closed before the end of the file");
                }
                fields.add(takeField());
                return new Record(start, fields, null);
            }
            any = true;
            if (++recordBytes > MAX_RECORD_BYTES) {
                ended = true;
                position = limit;
                return new Record(start, fields, "the record is longer than " + MAX_RECORD_BYTES
                        + " bytes (an unbalanced quote?); the rest of the file is skipped");
            }
            switch (state) {
                case QUOTED -> {
                    if (c == '"') {
                        state = AFTER_QUOTE;
                    } else {
                        if (c == '\n' || c == '\r' && peek() != '\n') {
                            line++;
                        }
                        append(c);
                    }
                }
                case AFTER_QUOTE -> {
                    if (c == '"') {
                        append('"');
                        state = QUOTED;
                    } else if (c == separator) {
                        fields.add(takeField());
                        state = FIELD_START;
                    } else if (c == '\n' || c == '\r') {
                        endLine(c);
                        fields.add(takeField());
                        return new Record(start, fields, null);
                    } else {
                        append(c);
                        state = UNQUOTED;
                    }
                }
                default -> { // FIELD_START, UNQUOTED
                    if (c == separator) {
                        fields.add(takeField());
                        state = FIELD_START;
                    } else if (c == '\n' || c == '\r') {
                        endLine(c);
                        fields.add(takeField());
                        return new Record(start, fields, null);
                    } else if (c == '"' && state == FIELD_START) {
                        state = QUOTED;
                    } else {
                        append(c);
                        state = UNQUOTED;
                    }
                }
            }
        }
    }

    private void endLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private void append(int c) {
        if (fieldLength == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[fieldLength++] = (byte) c;
    }

    private byte[] takeField() {
        byte[] value = Arrays.copyOf(field, fieldLength);
        fieldLength = 0;
        return value;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
