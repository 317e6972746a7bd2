export * from "./enums";
export * from "./users";
export * from "./courses";
export * from "./quizzes";
export * from "./own-datasets";
export * from "./grading";
export * from "./lti";
