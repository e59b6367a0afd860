package dev.latchkey.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTest {

    @Test
    void givenOneRowMoreThanTheLimit_whenSliced_thenThePageEndsAtTheLimitWithTheCursorOfItsLastItem() {
        Page<Integer> page = Page.slice(List.of(1, 2, 3, 4), 3, item -> "after-" + item);

        assertThat(page.items()).containsExactly(1, 2, 3);
        assertThat(page.nextCursor()).isEqualTo("after-3");
    }

    @Test
    void givenNoMoreRowsThanTheLimit_whenSliced_thenTheLastPageHasNoCursor() {
        assertThat(Page.slice(List.of(1, 2, 3), 3, item -> "after-" + item)).isEqualTo(new Page<>(List.of(1, 2, 3), null));
        assertThat(Page.slice(List.<Integer>of(), 3, item -> "after-" + item)).isEqualTo(new Page<>(List.of(), null));
    }

    @Test
    void givenAPage_whenMapped_thenTheCursorStays() {
        assertThat(new Page<>(List.of(1, 2), "c").map(item -> "#" + item)).isEqualTo(new Page<>(List.of("#1", "#2"), "c"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50, Page.MAX_LIMIT})
    void givenALimitFromOneToTheMaximum_whenChecked_thenItIsTheLimit(int limit) {
        assertThat(Page.limit(limit)).isEqualTo(limit);
        assertThat(Page.limit(" " + limit + " ", 7)).isEqualTo(limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "201", "100000", "ten", "1.5"})
    void givenALimitOutsideTheRule_whenChecked_thenA400NamingLimitNeverAClamp(String limit) {
        assertThatThrownBy(() -> Page.limit(limit, 50)).isInstanceOfSatisfying(LatchkeyException.class, e -> {
            assertThat(e.problemType()).isEqualTo(ProblemType.VALIDATION);
            assertThat(e.fieldProblems()).extracting(FieldProblem::field).containsExactly("limit");
        });
    }

    @Test
    void givenNoLimit_whenChecked_thenTheListsDefault() {
        assertThat(Page.limit(null, 50)).isEqualTo(50);
        assertThat(Page.limit(" ", 100)).isEqualTo(100);
    }
}
