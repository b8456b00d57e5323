import { CHECK_IN_MESSAGES, type CheckInLanguage } from "./check-in-messages";
import type { EvaluationRating } from "./evaluation-summary";

/**
 * Every string the public evaluation page shows, in English and Spanish, as the check-in page
 * does (app/domain/check-in-messages.ts, whose language choice and identity wording it shares).
 */
export type EvaluationLanguage = CheckInLanguage;

export const COMMENT_MAX_LENGTH = 1000;

export type EvaluationMessages = {
  pageTitle: string;
  heading: string;
  intro: (programName: string, date: string) => string;
  anonymity: string;
  switchTo: string;
  switchToLang: EvaluationLanguage;
  whoLegend: string;
  whoHint: string;
  withDistrictId: string;
  districtId: string;
  districtIdHint: string;
  orWithName: string;
  orWithNameHint: string;
  firstName: string;
  lastName: string;
  email: string;
  questionsLegend: string;
  questions: Record<EvaluationRating, string>;
  /** 1 to 5, in that order. */
  scale: [string, string, string, string, string];
  recommend: string;
  yes: string;
  no: string;
  comment: string;
  commentHint: string;
  optional: string;
  submit: string;
  problem: string;
  thanksTitle: string;
  thanksBody: (programName: string, date: string) => string;
  alreadyTitle: string;
  alreadyBody: string;
  closeThePage: string;
  notOnRosterTitle: string;
  notOnRosterBody: string;
  invalidTitle: string;
  invalidBody: string;
  closedTitle: string;
  closedBody: string;
  errors: {
    chooseRating: (question: string) => string;
    chooseRecommend: string;
    commentTooLong: string;
    tooLarge: string;
    tooManyTries: string;
  };
};

const en = CHECK_IN_MESSAGES.en;
const es = CHECK_IN_MESSAGES.es;

export const EVALUATION_MESSAGES: Record<EvaluationLanguage, EvaluationMessages> = {
  en: {
    pageTitle: "Training evaluation",
    heading: "Tell us about your training",
    intro: (program, date) => `${program}, last day ${date}`,
    anonymity: "Your answers are anonymous: they are not stored with your name. Your name is used only to record that you took part.",
    switchTo: en.switchTo,
    switchToLang: en.switchToLang,
    whoLegend: "Who you are",
    whoHint: "Your district ID, or the name and email you enrolled with.",
    withDistrictId: en.withDistrictId,
    districtId: en.districtId,
    districtIdHint: en.districtIdHint,
    orWithName: en.orWithName,
    orWithNameHint: en.orWithNameHint,
    firstName: en.firstName,
    lastName: en.lastName,
    email: en.email,
    questionsLegend: "Your ratings",
    questions: {
      overall: "Overall, the training was worth my time.",
      content: "The content was clear and useful.",
      trainers: "The trainers were well prepared and easy to follow.",
      confidence: "I feel confident I could help someone who is struggling.",
    },
    scale: ["1 Strongly disagree", "2 Disagree", "3 Neutral", "4 Agree", "5 Strongly agree"],
    recommend: "Would you recommend this training to a colleague?",
    yes: "Yes",
    no: "No",
    comment: "Anything else you would like to tell the trainers?",
    commentHint: `Please leave out names. Only your trainers and program leads read this. At most ${COMMENT_MAX_LENGTH} characters.`,
    optional: "(optional)",
    submit: "Send my evaluation",
    problem: en.problem,
    thanksTitle: "Thank you for your evaluation",
    thanksBody: (program, date) => `We received your evaluation of ${program} (last day ${date}).`,
    alreadyTitle: "Already received, thank you",
    alreadyBody: "We already have your evaluation for this training, so nothing else was saved.",
    closeThePage: en.closeThePage,
    notOnRosterTitle: "We could not find you on this training's roster",
    notOnRosterBody: "Check your district ID, or the name and email you enrolled with, and try again. If it still does not work, ask your trainer. Nothing was saved.",
    invalidTitle: "This evaluation link is not valid",
    invalidBody: "Scan the QR code again, or ask your trainer for the link.",
    closedTitle: "This evaluation is closed",
    closedBody: "The evaluation for this training has ended or was closed by the trainer. Please see your trainer.",
    errors: {
      chooseRating: (question) => `Choose an answer from 1 to 5 for “${question}”`,
      chooseRecommend: "Choose yes or no for whether you would recommend the training, or leave both blank",
      commentTooLong: `Your comment must be at most ${COMMENT_MAX_LENGTH} characters`,
      tooLarge: en.errors.tooLarge,
      tooManyTries: "Too many evaluations from here just now. Please try again in a minute.",
    },
  },
  es: {
    pageTitle: "Evaluación de la capacitación",
    heading: "Cuéntenos sobre su capacitación",
    intro: (program, date) => `${program}, último día ${date}`,
    anonymity: "Sus respuestas son anónimas: no se guardan con su nombre. Su nombre solo se usa para registrar que participó.",
    switchTo: es.switchTo,
    switchToLang: es.switchToLang,
    whoLegend: "Quién es usted",
    whoHint: "Su número del distrito, o el nombre y correo electrónico con que se inscribió.",
    withDistrictId: es.withDistrictId,
    districtId: es.districtId,
    districtIdHint: es.districtIdHint,
    orWithName: es.orWithName,
    orWithNameHint: es.orWithNameHint,
    firstName: es.firstName,
    lastName: es.lastName,
    email: es.email,
    questionsLegend: "Sus calificaciones",
    questions: {
      overall: "En general, la capacitación valió la pena.",
      content: "El contenido fue claro y útil.",
      trainers: "Los instructores estaban bien preparados y fueron fáciles de seguir.",
      confidence: "Me siento capaz de ayudar a alguien que está pasando por un mal momento.",
    },
    scale: ["1 Totalmente en desacuerdo", "2 En desacuerdo", "3 Neutral", "4 De acuerdo", "5 Totalmente de acuerdo"],
    recommend: "¿Recomendaría esta capacitación a un colega?",
    yes: "Sí",
    no: "No",
    comment: "¿Algo más que quiera decirles a los instructores?",
    commentHint: `Por favor, no escriba nombres. Solo sus instructores y los responsables del programa lo leen. Como máximo ${COMMENT_MAX_LENGTH} caracteres.`,
    optional: "(opcional)",
    submit: "Enviar mi evaluación",
    problem: es.problem,
    thanksTitle: "Gracias por su evaluación",
    thanksBody: (program, date) => `Recibimos su evaluación de ${program} (último día ${date}).`,
    alreadyTitle: "Ya la recibimos, gracias",
    alreadyBody: "Ya tenemos su evaluación de esta capacitación, así que no se guardó nada más.",
    closeThePage: es.closeThePage,
    notOnRosterTitle: "No lo encontramos en la lista de esta capacitación",
    notOnRosterBody: "Revise su número del distrito, o el nombre y correo electrónico con que se inscribió, e inténtelo de nuevo. Si sigue sin funcionar, hable con su instructor. No se guardó nada.",
    invalidTitle: "Este enlace de evaluación no es válido",
    invalidBody: "Vuelva a escanear el código QR o pida el enlace a su instructor.",
    closedTitle: "Esta evaluación está cerrada",
    closedBody: "La evaluación de esta capacitación terminó o el instructor la cerró. Por favor, hable con su instructor.",
    errors: {
      chooseRating: (question) => `Elija una respuesta del 1 al 5 para «${question}»`,
      chooseRecommend: "Elija sí o no sobre si recomendaría la capacitación, o deje ambas en blanco",
      commentTooLong: `Su comentario debe tener como máximo ${COMMENT_MAX_LENGTH} caracteres`,
      tooLarge: es.errors.tooLarge,
      tooManyTries: "Demasiadas evaluaciones desde aquí en este momento. Inténtelo de nuevo en un minuto.",
    },
  },
};
