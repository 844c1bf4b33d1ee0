package dev.ratchet.bench.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class KvCommandsTest {

    @Test
    void putRoundTripsKeyAndValue() {
        byte[] value = {0, 1, 2, (byte) 0xff, 42};
        KvCommands.Put put = KvCommands.decodePut(KvCommands.put("c7-123", value).getContent());
        assertEquals("c7-123", put.key());
        assertArrayEquals(value, put.value().toByteArray());
    }

    @Test
    void getRoundTripsKey() {
        assertEquals("r100-5", KvCommands.decodeGet(KvCommands.get("r100-5").getContent()));
    }

    @Test
    void malformedCommandsAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> KvCommands.decodePut(ByteString.copyFromUtf8("Gkey")));
        assertThrows(IllegalArgumentException.class,
                () -> KvCommands.decodePut(ByteString.copyFrom(new byte[] {'P', 0, 9, 'a'})));
        assertThrows(IllegalArgumentException.class, () -> KvCommands.decodeGet(ByteString.copyFromUtf8("G")));
        assertThrows(IllegalArgumentException.class, () -> KvCommands.put("", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> KvCommands.put("k", new byte[KvCommands.MAX_VALUE_BYTES + 1]));
    }

    @Test
    void stateMachineAnswersAbsentKeysEmptyAndFailsMalformedQueries() throws Exception {
        KvStateMachine machine = new KvStateMachine();
        assertEquals(0, machine.query(KvCommands.get("missing")).get().getContent().size());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> machine.query(Message.valueOf("Xnope")).get());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }
}
