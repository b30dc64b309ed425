package dev.shoppulse.common.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;

/**
 * Encodes one record type to JSON bytes and decodes it back, turning every kind of bad input into a
 * {@link BadRecordException} with a short, human reason.
 */
public final class JsonCodec<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    public JsonCodec(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T value) {
        return Json.write(value);
    }

    public T decode(byte[] bytes) throws BadRecordException {
        if (bytes == null) {
            throw new BadRecordException("null value");
        }
        if (bytes.length == 0) {
            throw new BadRecordException("empty value");
        }
        try {
            T value = Json.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new BadRecordException("JSON null instead of a " + type.getSimpleName());
            }
            return value;
        } catch (ValueInstantiationException e) {
            // The record's compact constructor rejected a field: its message is the reason.
            Throwable root = e.getCause() != null ? e.getCause() : e;
            String why = root.getMessage();
            throw new BadRecordException(
                    "invalid "
                            + type.getSimpleName()
                            + ": "
                            + (why == null || why.isBlank()
                                    ? root.getClass().getSimpleName()
                                    : why),
                    e);
        } catch (JsonProcessingException e) {
            throw new BadRecordException(
                    "malformed " + type.getSimpleName() + " JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadRecordException("unreadable value: " + e.getMessage(), e);
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            // A value that parsed but broke a conversion (e.g. an overflowing number or time)
            // is as deterministic a data error as malformed JSON.
            throw new BadRecordException(
                    "invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BadRecordException(
                    "undecodable "
                            + type.getSimpleName()
                            + ": "
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
