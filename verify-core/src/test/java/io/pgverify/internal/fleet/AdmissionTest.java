package io.pgverify.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void aPairIsAdmittedOnlyWhenAllItsServersHaveRoomAndOthersGoAhead() throws Exception {
        Admission admission = new Admission(3, 6);
        Map<String, Integer> onA = Map.of("a:5432", 4);
        Map<String, Integer> onAandB = Map.of("a:5432", 4, "b:5432", 4);
        Map<String, Integer> onB = Map.of("b:5432", 4);

        assertThat(admission.admit(List.of(onA))).isZero();
        // a has 2 left: the pair on a and b must wait, the one on b alone goes ahead of it.
        assertThat(admission.admit(List.of(onAandB, onB))).isEqualTo(1);
        // Nothing reserved for the waiting pair meanwhile: b is full because of the second pair only.
        assertThat(admission.peakReserved()).isEqualTo(Map.of("a:5432", 4, "b:5432", 4));

        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return admission.admit(List.of(onAandB));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        admission.release(onA);
        assertThat(waiting).isNotDone();
        admission.release(onB);

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(admission.peakReserved()).isEqualTo(Map.of("a:5432", 4, "b:5432", 4));
    }

    @Test
    void noMoreThanMaxRunningAtOnceWhateverTheConnections() throws Exception {
        Admission admission = new Admission(1, 0);
        assertThat(admission.admit(List.of(Map.of()))).isZero();

        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return admission.admit(List.of(Map.of()));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).isNotDone();
        admission.release(Map.of());

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aRequestThatCouldNeverFitIsRefusedRatherThanWaitedOnForever() {
        Admission admission = new Admission(2, 5);

        assertThat(admission.fitsAlone(Map.of("a:5432", 6))).isFalse();
        assertThatThrownBy(() -> admission.admit(List.of(Map.of("a:5432", 6))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
