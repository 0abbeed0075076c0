package modelc.runtime.train;

import java.util.Arrays;

/**
 * Keras's learning-rate schedules, evaluated at the optimizer's step ({@code iterations} before the
 * update): {@code constant}, {@code exponential_decay} (initial · rate^(step/steps), floored with
 * staircase), {@code inverse_time_decay} (initial / (1 + rate · step/steps), floored with staircase),
 * {@code cosine_decay} (initial · ((1 − alpha) · ½(1 + cos(π · min(step, steps)/steps)) + alpha)) and
 * {@code piecewise_constant_decay} (values[i] while step ≤ boundaries[i]).
 */
public record LearningRateSchedule(String kind, double initial, double decaySteps, double decayRate, boolean staircase,
                                   double alpha, double[] boundaries, double[] values) {

    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule("constant", lr, 1, 1, false, 0, new double[0], new double[0]);
    }

    public double at(long step) {
        double p = step / decaySteps;
        return switch (kind) {
            case "constant" -> initial;
            case "exponential_decay" -> initial * Math.pow(decayRate, staircase ? Math.floor(p) : p);
            case "inverse_time_decay" -> initial / (1 + decayRate * (staircase ? Math.floor(p) : p));
            case "cosine_decay" -> {
                double s = Math.min(step, decaySteps) / decaySteps;
                yield initial * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * s)) + alpha);
            }
            case "piecewise_constant_decay" -> {
                int i = 0;
                while (i < boundaries.length && step > boundaries[i]) i++;
                yield values[i];
            }
            default -> throw new IllegalStateException("unknown schedule " + kind);
        };
    }

    @Override
    public String toString() {
        return kind + "(" + initial + (kind.equals("piecewise_constant_decay") ? ", " + Arrays.toString(boundaries) + ", " + Arrays.toString(values) : "") + ")";
    }
}
