package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void singleRangesResolveAgainstTheSize() {
        assertThat(ByteRange.parse("bytes=2-5", 10)).isEqualTo(new ByteRange(2, 5));
        assertThat(ByteRange.parse("bytes=2-", 10)).isEqualTo(new ByteRange(2, 9));
        assertThat(ByteRange.parse("bytes=-3", 10)).isEqualTo(new ByteRange(7, 9));
        assertThat(ByteRange.parse("bytes=-30", 10)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=5-100", 10)).isEqualTo(new ByteRange(5, 9));
        assertThat(new ByteRange(2, 5).contentRange(10)).isEqualTo("bytes 2-5/10");
    }

    @Test
    void multiRangesAndJunkAreIgnoredAndRangesBeyondTheEndRefused() {
        assertThat(ByteRange.parse(null, 10)).isNull();
        assertThat(ByteRange.parse("bytes=1-2,4-5", 10)).isNull();
        assertThat(ByteRange.parse("items=1-2", 10)).isNull();
        assertThat(ByteRange.parse("bytes=x-2", 10)).isNull();
        assertThat(ByteRange.parse("bytes=5-2", 10)).isNull();
        assertThatThrownBy(() -> ByteRange.parse("bytes=10-", 10)).isInstanceOf(ByteRange.NotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=10-20", 10)).isInstanceOf(ByteRange.NotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 10)).isInstanceOf(ByteRange.NotSatisfiableException.class);
    }

    @Property
    void aServedRangeAlwaysLiesInsideTheContent(@ForAll @LongRange(min = 1, max = 1_000_000) long size,
            @ForAll @LongRange(min = -5, max = 2_000_000) long a, @ForAll @LongRange(min = -5, max = 2_000_000) long b) {
        String header = "bytes=" + (a < 0 ? "" : Long.toString(a)) + "-" + (b < 0 ? "" : Long.toString(b));
        try {
            ByteRange r = ByteRange.parse(header, size);
            if (r != null) {
                assertThat(r.first()).isBetween(0L, size - 1);
                assertThat(r.last()).isBetween(r.first(), size - 1);
            }
        } catch (ByteRange.NotSatisfiableException e) {
            assertThat(a >= size || (a < 0 && b == 0)).as(header).isTrue();
        }
    }
}
