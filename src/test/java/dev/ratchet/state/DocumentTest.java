package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DocumentTest {

    @Property(tries = 500)
    void aDocumentsEtagReadsBackExactlyAsMade(@ForAll @LongRange(min = 0) long revision,
            @ForAll @Size(max = 64) byte[] value) {
        String etag = Etags.forDocument(revision, value);
        // The format stored in every WAL and snapshot so far: base-36 revision, dash, first 12 digest bytes.
        assertThat(etag).isEqualTo(Long.toString(revision, 36) + "-"
                + java.util.HexFormat.of().formatHex(Etags.sha256(value), 0, 12));
        Document d = new Document("k", value, etag, 1, revision);
        assertThat(d.etag()).isEqualTo(etag);
        assertThat(new Document("k", value, d.etag(), 1, revision)).isEqualTo(d).hasSameHashCodeAs(d);
        assertThat(new String(d.etagBytes(), java.nio.charset.StandardCharsets.UTF_8)).as("as a snapshot stores it")
                .isEqualTo(etag);
    }

    @Test
    void anEtagOfAnotherFormIsKeptAsGiven() {
        byte[] v = {1, 2, 3};
        String current = Etags.forDocument(7, v);
        for (String other : new String[] {
            // revision prefix of another revision, upper-case hex, too short, too long, no dash, empty
            Etags.forDocument(8, v), current.toUpperCase(), current.substring(0, current.length() - 1), current + "0",
            current.replace("-", ""), "", "7-ffffffffffffffffffffffff"}) {
            Document d = new Document("k", v, other, 1, 7);
            assertThat(d.etag()).as(other).isEqualTo(other);
            assertThat(d.etagBytes()).as(other).isEqualTo(other.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(d).as(other).isNotEqualTo(new Document("k", v, current, 1, 7));
        }
        assertThat(new Document("k", v, "7-ffffffffffffffffffffffff", 1, 7).etag()).isEqualTo("7-ffffffffffffffffffffffff");
        assertThat(new Document("k", v, "7-000000000000000000000000", 1, 7).etag()).isEqualTo("7-000000000000000000000000");
        assertThat(new Document("k", v, current, 1, 7)).isNotEqualTo(new Document("k", v, Etags.forDocument(7, new byte[] {9}), 1, 7));
    }

    @Test
    void theValueIsNeverSharedWithTheCaller() {
        byte[] v = {1, 2, 3};
        Document d = new Document("k", v, Etags.forDocument(1, v), 1, 1);
        d.value()[0] = 9;
        assertThat(d.value()).containsExactly(1, 2, 3);
        assertThat(d.size()).isEqualTo(3);
        assertThatThrownBy(() -> new Document("k", v, null, 1, 1)).isInstanceOf(NullPointerException.class);
    }
}
