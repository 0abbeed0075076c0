package modelc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Keras's schedules at a few steps, from their documented formulas. */
class LearningRateScheduleTest {
    @Test
    void exponentialDecay() {
        var s = new LearningRateSchedule("exponential_decay", 0.1, 100, 0.96, false, 0, new double[0], new double[0]);
        assertEquals(0.1 * Math.pow(0.96, 2.5), s.at(250), 1e-15);
        var stair = new LearningRateSchedule("exponential_decay", 0.1, 100, 0.96, true, 0, new double[0], new double[0]);
        assertEquals(0.1 * 0.96 * 0.96, stair.at(250), 1e-15);
    }

    @Test
    void cosineDecayEndsAtAlphaTimesInitial() {
        var s = new LearningRateSchedule("cosine_decay", 0.2, 1000, 0, false, 0.1, new double[0], new double[0]);
        assertEquals(0.2, s.at(0), 1e-15);
        assertEquals(0.2 * (0.9 * 0.5 + 0.1), s.at(500), 1e-15);
        assertEquals(0.02, s.at(1000), 1e-15);
        assertEquals(0.02, s.at(5000), 1e-15);
    }

    @Test
    void piecewiseConstantIncludesTheBoundary() {
        var s = new LearningRateSchedule("piecewise_constant_decay", 1.0, 1, 1, false, 0, new double[] {10, 20}, new double[] {1.0, 0.5, 0.1});
        assertEquals(1.0, s.at(10));
        assertEquals(0.5, s.at(11));
        assertEquals(0.5, s.at(20));
        assertEquals(0.1, s.at(21));
    }

    @Test
    void inverseTimeDecay() {
        var s = new LearningRateSchedule("inverse_time_decay", 0.1, 10, 0.5, false, 0, new double[0], new double[0]);
        assertEquals(0.1 / (1 + 0.5 * 2.5), s.at(25), 1e-15);
    }
}
