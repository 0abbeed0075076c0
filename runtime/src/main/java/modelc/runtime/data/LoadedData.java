package modelc.runtime.data;

/** What {@link DataLoader} found: the training split and, if the data has one, the test split (else null). */
public record LoadedData(Dataset train, Dataset test) {}
