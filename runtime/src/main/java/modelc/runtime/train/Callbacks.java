package modelc.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;

/**
 * Keras's EarlyStopping, ReduceLROnPlateau and ModelCheckpoint, run at the end of every epoch on
 * the epoch's logs, with Keras's rules for what counts as an improvement (by more than min_delta),
 * patience, cooldown and restoring the best weights.
 */
final class Callbacks {
    private final List<State> states = new ArrayList<>();
    private final PrintStream out;
    /** What ReduceLROnPlateau has multiplied the schedule's learning rate by so far. */
    private double lrFactor = 1;

    private static final class State {
        final CallbackSpec spec;
        double best;
        int wait;
        int cooldown;
        Map<String, Tensor> bestWeights;
        int bestEpoch;

        State(CallbackSpec spec) {
            this.spec = spec;
            this.best = spec.maximize() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }

        boolean improves(double current) {
            return beats(current, best);
        }

        /** Keras's {@code _is_improvement}: better than {@code reference} by more than min_delta. */
        boolean beats(double current, double reference) {
            return spec.maximize() ? current - spec.minDelta() > reference : current + spec.minDelta() < reference;
        }
    }

    Callbacks(List<CallbackSpec> specs, PrintStream out) {
        for (CallbackSpec s : specs) states.add(new State(s));
        this.out = out;
    }

    /** Runs every callback after {@code epoch} (0-based); returns true when training should stop. */
    boolean epochEnd(int epoch, Map<String, Double> logs, CompiledModel model, Session session) throws IOException {
        boolean stop = false;
        for (State st : states) {
            CallbackSpec c = st.spec;
            Double current = logs.get(c.monitor());
            if (current == null) {
                throw new IllegalArgumentException(c.kind() + " monitors '" + c.monitor() + "', which is not logged; logged: "
                        + String.join(", ", logs.keySet()));
            }
            boolean improved = st.improves(current);
            switch (c.kind()) {
                case "early_stopping" -> {
                    // Keras 3's EarlyStopping.on_epoch_end: nothing before start_from_epoch; the wait restarts only on an
                    // improvement that also beats the baseline
                    if (epoch < c.startFromEpoch()) break;
                    if (c.restoreBestWeights() && st.bestWeights == null) {
                        st.bestWeights = model.weights();
                        st.bestEpoch = epoch;
                    }
                    st.wait++;
                    if (improved) {
                        st.best = current;
                        st.bestEpoch = epoch;
                        if (c.restoreBestWeights()) st.bestWeights = model.weights();
                        if (Double.isNaN(c.baseline()) || st.beats(current, c.baseline())) st.wait = 0;
                    } else if (st.wait >= c.patience() && epoch > 0) {
                        stop = true;
                        say("Epoch %d: early stopping", epoch + 1);
                    }
                }
                case "reduce_lr_on_plateau" -> {
                    if (st.cooldown > 0) {
                        st.cooldown--;
                        st.wait = 0;
                    }
                    if (improved) {
                        st.best = current;
                        st.wait = 0;
                    } else if (st.cooldown == 0 && ++st.wait >= c.patience()) {
                        double old = session.learningRate();
                        if (old > c.minLr()) {
                            double lr = Math.max(old * c.factor(), c.minLr());
                            lrFactor *= lr / old;
                            session.setLearningRateFactor(lrFactor);
                            say("Epoch %d: ReduceLROnPlateau reducing learning rate to %s", epoch + 1, Double.toString(lr));
                            st.cooldown = c.cooldown();
                            st.wait = 0;
                        }
                    }
                }
                case "model_checkpoint" -> {
                    Path file = Path.of(c.filepath().replace("{epoch}", Integer.toString(epoch + 1)));
                    if (!c.saveBestOnly() || improved) {
                        if (improved) st.best = current;
                        SafeTensors.write(file, model.weights(), Map.of("format", "modelc-weights", "model", model.spec().name(),
                                "epoch", Integer.toString(epoch + 1), c.monitor(), Double.toString(current)));
                        if (c.saveBestOnly()) say("Epoch %d: %s improved to %s, saving weights to %s", epoch + 1, c.monitor(), Progress.format(current), file);
                    }
                }
                default -> throw new IllegalStateException("unknown callback " + c.kind());
            }
        }
        return stop;
    }

    /**
     * After the last epoch (stopped early or not): EarlyStopping(restore_best_weights=True) puts back the
     * weights of its best epoch, as Keras 3's {@code on_train_end} does.
     */
    void trainEnd(CompiledModel model) {
        for (State st : states) {
            if (st.spec.kind().equals("early_stopping") && st.bestWeights != null) {
                model.setWeights(st.bestWeights);
                say("Restoring model weights from the end of the best epoch: %d (%s %s)", st.bestEpoch + 1, st.spec.monitor(), Progress.format(st.best));
            }
        }
    }

    private void say(String fmt, Object... args) {
        if (out != null) out.println(String.format(Locale.ROOT, fmt, args));
    }
}
