import keras
from keras import layers

# CIFAR-10: 32x32 RGB images in 10 classes.
(x_train, y_train), (x_test, y_test) = (
    keras.datasets.cifar10.load_data())
# Pixels 0..255 -> 0..1. Labels stay integers 0..9.
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

model = keras.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.summary()  # 122,570 parameters

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
# Validate on 10% of the training data;
# the test set is for the final number only.
model.fit(x_train, y_train, epochs=5, batch_size=32,
          validation_split=0.1)

test_loss, test_acc = model.evaluate(x_test, y_test)
print(f"Test accuracy: {test_acc:.3f}")
