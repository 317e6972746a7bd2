/**
 * Demo accounts for development and the end-to-end tests. Never created in production
 * (see `shouldSeedDemo` in seed.ts).
 */
export const DEMO_INSTRUCTOR = {
  email: "instructor@tensorgrade.dev",
  password: "teach-lesson-6",
  name: "Dr. Ada Instructor",
  role: "instructor",
} as const;

export const DEMO_STUDENT = {
  email: "student@tensorgrade.dev",
  password: "learn-lesson-6",
  name: "Sam Student",
  role: "student",
} as const;

/** The seeded course, which both demo accounts are enrolled in. */
export const DEMO_COURSE = {
  slug: "cv-fundamentals",
  title: "Computer Vision Fundamentals",
} as const;
