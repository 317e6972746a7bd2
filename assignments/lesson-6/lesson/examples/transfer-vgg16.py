import keras
from keras import layers
from keras.applications import VGG16
from keras.applications.vgg16 import preprocess_input

# One folder per class: path/to/train_data/<class>/*.jpg
# 20% is held back for validation.
train_ds, val_ds = keras.utils.image_dataset_from_directory(
    "path/to/train_data",
    image_size=(224, 224),
    batch_size=32,
    label_mode="categorical",  # one-hot labels
    validation_split=0.2,
    subset="both",
    seed=42,
)
# VGG16 expects its own scaling (BGR, ImageNet means
# subtracted), not x / 255.
train_ds = train_ds.map(lambda x, y: (preprocess_input(x), y))
val_ds = val_ds.map(lambda x, y: (preprocess_input(x), y))

# The convolutional base with ImageNet weights, no top.
base_model = VGG16(weights="imagenet", include_top=False,
                   input_shape=(224, 224, 3))
base_model.trainable = False  # freeze the whole base

inputs = layers.Input(shape=(224, 224, 3))
# Augmentation layers are active during training only.
x = layers.RandomFlip("horizontal")(inputs)
x = layers.RandomRotation(20 / 360)(x)  # +/-20 degrees
x = base_model(x, training=False)  # inference mode
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(1024, activation="relu")(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(train_ds, validation_data=val_ds, epochs=5)
